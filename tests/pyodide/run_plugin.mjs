// The xlwings Lite path under a real Pyodide (Node): load Pyodide from the npm package, load the
// Pyodide-built packages igloo-xl needs, install igloo-xl's wheel with micropip (its pure-Python
// dependencies from PyPI, as xlwings Lite does for requirements.txt), then run « Valider le
// classeur » on the JSON book and print what it said, as JSON on the last line.
// Usage: node run_plugin.mjs PYODIDE_DIR WHEEL PAYLOAD.json
// Prints {"blocked": "..."} when a step cannot be done on this machine (network).
import { readFileSync } from "node:fs";
import { basename, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [pyodideDir, wheel, payloadPath] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(resolve(pyodideDir, "pyodide.mjs")).href);
const out = (o) => console.log(JSON.stringify(o));

const py = await loadPyodide({ indexURL: resolve(pyodideDir) + "/" });
const lock = JSON.parse(readFileSync(resolve(pyodideDir, "pyodide-lock.json"), "utf8"));
const wanted = ["micropip", "numpy", "pandas", "pydantic", "matplotlib", "rich", "packaging", "typing-extensions"];
const errors = [];
const sources = new Set();
await py.loadPackage(wanted, {
  errorCallback: (m) => errors.push(m),
  messageCallback: (m) => { const url = /load from (\S+)/.exec(m); if (url) sources.add(url[1]); },
});
const missing = wanted.filter((p) => !(p in py.loadedPackages));
if (missing.length) {
  const why = [...new Set(errors.filter((m) => !m.startsWith("The following error")))].join("; ");
  out({ blocked: `Pyodide ${lock.info.version} from npm runs (Python ${py.runPython("import sys; sys.version.split()[0]")}), ` +
    `but its built packages (${missing.join(", ")}) are not in the npm package: they load from ` +
    `${[...sources].join(", ") || "Pyodide's CDN (the fallback of loadPackage)"}, unreachable here (${why})` });
  process.exit(0);
}

py.FS.mkdirTree("/wheels");
py.FS.writeFile(`/wheels/${basename(wheel)}`, readFileSync(wheel));
py.FS.mkdirTree("/data");
py.globals.set("PAYLOAD", readFileSync(payloadPath, "utf8"));
py.globals.set("WHEEL", `emfs:/wheels/${basename(wheel)}`);
try {
  await py.runPythonAsync("import micropip\nawait micropip.install(WHEEL)");
} catch (e) {
  out({ blocked: `micropip could not install ${basename(wheel)} and its dependencies: ${String(e).slice(-1500)}` });
  process.exit(0);
}
// From here on a failure is the plugin's: it propagates (non-zero exit) and the test fails.
const said = await py.runPythonAsync(`
import json, os, sys
os.environ["XLWINGS_LICENSE_KEY"] = "noncommercial"
os.environ["IGLOO_LITE_FILES"] = "/data"
import xlwings as xw, xlwings.server
from igloo_xl.excel import lite
book = xw.Book(json=json.loads(PAYLOAD))
done = await xlwings.server.custom_scripts_call(module=lite, script_name="valider_le_classeur",
                                                typehint_to_value={xw.Book: book}, args=[])
json.dumps({"alerts": [a["args"][0] for a in done.json()["actions"] if a["func"] == "alert"],
            "calamine": "python_calamine" in sys.modules, "python": sys.version})
`);
console.log(said);
