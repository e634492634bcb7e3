package io.github.kontrast.samples.bench

import java.io.File
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.Paths

/** PyTorch's side of the suites: Debian's interpreter and the project's scripts in `tools/`. */
object PyTorchSide {
  /** The interpreter Debian's `python3-torch` installs into (the default `python3` may be another one). */
  const val PYTHON = "/usr/bin/python3"

  /**
   * `tools/[name]` of the project: under the working directory (the launcher runs in the project),
   * else under its parent (a module's tests run in the module's directory).
   */
  fun script(name: String): Path {
    val here = Paths.get("tools", name)
    val parent = Paths.get("..", "tools", name)
    return if (!Files.exists(here) && Files.exists(parent)) parent else here
  }

  /**
   * PyTorch's version, its intra-op threads and the BLAS library it loaded, in one line: Debian's
   * `python3-torch` calls whatever `libblas.so.3` the system provides, the reference BLAS unless
   * OpenBLAS is installed, and its matrix products are many times slower on the reference one.
   */
  fun describe(python: String): String {
    val code = "import torch; torch.ones(64, 64) @ torch.ones(64, 64); " +
      "blas = [l.split()[-1] for l in open('/proc/self/maps') if 'blas' in l.rsplit('/', 1)[-1]]; " +
      "print('PyTorch %s, %d intra-op thread(s), BLAS %s' % (torch.__version__, torch.get_num_threads(), blas[0] if blas else 'not found'))"
    val p = ProcessBuilder(python, "-c", code).redirectErrorStream(true).start()
    val out = String(p.inputStream.readAllBytes()).trim()
    return if (p.waitFor() == 0) out.lines().last() else "PyTorch (could not describe it: ${out.lines().lastOrNull()})"
  }

  /** Why [python] cannot run [script] with torch, or null when it can. */
  fun missing(python: String, script: Path): String? {
    if (!File(python).canExecute()) return "$python is not there"
    if (!Files.exists(script)) return "the script $script is not there"
    val p = ProcessBuilder(python, "-c", "import torch, numpy").redirectErrorStream(true).start()
    p.inputStream.readAllBytes()
    return if (p.waitFor() == 0) null else "$python cannot import torch and numpy (Debian: apt-get install python3-torch)"
  }
}
