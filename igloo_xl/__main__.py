from igloo_xl.cli import main

main()
