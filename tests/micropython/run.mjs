// Run a Python script under MicroPython (WebAssembly port) with tinynet importable.
//
//   node tests/micropython/run.mjs [--heap MB] [--file HOST=/MP ...] [--out /MP=HOST ...] SCRIPT.py
//   node tests/micropython/run.mjs [options] -        (script text on standard input)
//
// MicroPython's filesystem here is an in-memory one that cannot see the host, so this
// runner copies the repository's tinynet/ package into /lib/tinynet, puts /lib first
// on sys.path, copies each --file from the host in before the run, and copies each
// --out back to the host after a successful run (so a model saved by CPython can be
// loaded here, and one saved here can be checked by CPython).
//
// Exit status: 0 when the script finishes (or calls sys.exit(0)); the code passed to
// sys.exit(N); 1 when the script raises, after printing the traceback to stderr;
// 2 for a bad command line or a missing file.
//
// A --file HOST path is split from its MicroPython path at its last "=", an --out one at
// its first "=": the MicroPython side, which the tests choose, must not contain "=".

import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadMicroPython } from "@micropython/micropython-webassembly-pyscript";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = path.resolve(HERE, "..", "..");
const PACKAGE_DIR = path.join(REPO_ROOT, "tinynet");
const MP_LIB = "/lib";
const USAGE =
  "usage: node run.mjs [--heap MB] [--file HOST=/MP ...] [--out /MP=HOST ...] SCRIPT.py|-";

class UsageError extends Error {}

function parseArgs(argv) {
  const options = { heapMB: 64, files: [], outs: [], script: null };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new UsageError(`${arg} needs a value`);
      return argv[++i];
    };
    if (arg === "--heap") {
      const text = value();
      options.heapMB = Number(text);
      if (!(options.heapMB > 0)) throw new UsageError(`--heap must be a positive number of MB, not ${text}`);
    } else if (arg === "--file") {
      const text = value();
      const cut = text.lastIndexOf("=");
      if (cut <= 0 || !text.slice(cut + 1).startsWith("/")) {
        throw new UsageError(`--file wants HOST=/MP with an absolute MicroPython path, not ${text}`);
      }
      options.files.push({ host: text.slice(0, cut), mp: text.slice(cut + 1) });
    } else if (arg === "--out") {
      const text = value();
      const cut = text.indexOf("=");
      if (cut <= 0 || !text.startsWith("/") || cut === text.length - 1) {
        throw new UsageError(`--out wants /MP=HOST with an absolute MicroPython path, not ${text}`);
      }
      options.outs.push({ mp: text.slice(0, cut), host: text.slice(cut + 1) });
    } else if (arg === "-h" || arg === "--help") {
      process.stdout.write(USAGE + "\n");
      process.exit(0);
    } else if (arg.startsWith("--")) {
      throw new UsageError(`unknown option ${arg}`);
    } else if (options.script === null) {
      options.script = arg;
    } else {
      throw new UsageError(`only one script may be given, got ${options.script} and ${arg}`);
    }
  }
  if (options.script === null) throw new UsageError("no script given (use - for standard input)");
  return options;
}

// MicroPython hands output over one byte at a time; gather bytes and write whole lines.
function byteWriter(stream) {
  let pending = [];
  const flush = () => {
    if (pending.length > 0) {
      stream.write(Buffer.from(pending));
      pending = [];
    }
  };
  const write = (bytes) => {
    for (const byte of bytes) pending.push(byte);
    if (pending.length >= 8192 || bytes[bytes.length - 1] === 10) flush();
  };
  return { write, flush };
}

function mkdirTree(FS, dir) {
  let current = "";
  for (const part of dir.split("/").filter(Boolean)) {
    current += "/" + part;
    try {
      FS.mkdir(current);
    } catch (error) {
      if (!FS.analyzePath(current).exists) throw error;
    }
  }
}

// Copy a host directory into MicroPython's filesystem, leaving out bytecode caches.
function copyTree(FS, hostDir, mpDir) {
  mkdirTree(FS, mpDir);
  for (const entry of fs.readdirSync(hostDir, { withFileTypes: true })) {
    if (entry.name === "__pycache__" || entry.name.endsWith(".pyc")) continue;
    const hostPath = path.join(hostDir, entry.name);
    const mpPath = mpDir + "/" + entry.name;
    if (entry.isDirectory()) copyTree(FS, hostPath, mpPath);
    else if (entry.isFile()) FS.writeFile(mpPath, fs.readFileSync(hostPath));
  }
}

function systemExitCode(error) {
  // The traceback's last line is "SystemExit: <argument>" (empty for sys.exit()).
  const lines = error.message.trimEnd().split("\n");
  const argument = lines[lines.length - 1].replace(/^SystemExit:?\s?/, "");
  if (argument === "" || argument === "None") return 0;
  if (/^-?\d+$/.test(argument)) return Number(argument) & 0xff;
  process.stderr.write(argument + "\n");
  return 1;
}

async function main() {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`run.mjs: ${error.message}\n${USAGE}\n`);
    return 2;
  }
  const readHost = (file, what) => {
    try {
      return fs.readFileSync(file);
    } catch (error) {
      throw new UsageError(`cannot read ${what} ${file}: ${error.message}`);
    }
  };

  let code;
  try {
    code = readHost(options.script === "-" ? 0 : options.script, "script").toString("utf8");
    if (!fs.existsSync(path.join(PACKAGE_DIR, "__init__.py"))) {
      throw new UsageError(`no package at ${PACKAGE_DIR} (expected __init__.py)`);
    }
    for (const file of options.files) file.data = readHost(file.host, "--file");
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`run.mjs: ${error.message}\n`);
    return 2;
  }

  const stdout = byteWriter(process.stdout);
  const stderr = byteWriter(process.stderr);
  const mp = await loadMicroPython({
    heapsize: Math.round(options.heapMB * 2 ** 20),
    pystack: 16384,
    linebuffer: false,
    stdout: stdout.write,
    stderr: stderr.write,
  });

  copyTree(mp.FS, PACKAGE_DIR, MP_LIB + "/tinynet");
  for (const file of options.files) {
    mkdirTree(mp.FS, path.posix.dirname(file.mp));
    mp.FS.writeFile(file.mp, file.data);
  }
  mp.runPython(`import sys\nsys.path.insert(0, ${JSON.stringify(MP_LIB)})`);

  let status = 0;
  try {
    mp.runPython(code);
  } catch (error) {
    if (error.name !== "PythonError") throw error;
    stdout.flush();
    stderr.flush();
    if (error.type === "SystemExit") {
      status = systemExitCode(error);
    } else {
      process.stderr.write(error.message.endsWith("\n") ? error.message : error.message + "\n");
      process.stderr.write(`run.mjs: MicroPython raised ${error.type}\n`);
      status = 1;
    }
  }
  stdout.flush();
  stderr.flush();

  if (status === 0) {
    for (const out of options.outs) {
      if (!mp.FS.analyzePath(out.mp).exists) {
        process.stderr.write(`run.mjs: --out ${out.mp}: the script did not write this file\n`);
        status = 2;
        continue;
      }
      fs.mkdirSync(path.dirname(path.resolve(out.host)), { recursive: true });
      fs.writeFileSync(out.host, mp.FS.readFile(out.mp));
    }
  }
  return status;
}

process.exitCode = await main();
