package io.github.kontrast.notebooks

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldNotBeEmpty
import org.jetbrains.kotlinx.jupyter.exceptions.ReplException
import kotlin.time.Duration.Companion.minutes

/**
 * Executes every notebook's code cells in order, each notebook in a fresh kernel, in quick mode
 * (the pom sets KONTRAST_QUICK=1). A failing cell fails the notebook's test with the cell number,
 * its first lines and the kernel's error.
 */
class NotebooksSpec : FunSpec({
  val notebooks = EmbeddedKernel.notebooksDir.listFiles { f -> f.name.endsWith(".ipynb") }
    ?.sortedBy { it.name }.orEmpty()

  test("there are notebooks to run") {
    notebooks.shouldNotBeEmpty()
  }

  for (notebook in notebooks) {
    // Kotest's default 10 minutes is too short for a quick-mode training on a slow or busy machine
    test(notebook.name).config(timeout = 40.minutes) {
      val cells = NotebookCells.read(notebook)
      cells.shouldNotBeEmpty()
      val kernel = EmbeddedKernel.start()
      for (cell in cells) {
        try {
          kernel.eval(cell.source)
        } catch (e: ReplException) {
          throw AssertionError(failure(notebook.name, cell, e.render() ?: e.toString()), e)
        } catch (e: Exception) {
          throw AssertionError(failure(notebook.name, cell, e.toString()), e)
        }
      }
    }
  }
})

private fun failure(notebook: String, cell: CodeCell, error: String): String {
  val head = cell.source.lines().take(3).joinToString("\n") { "    $it" }
  return "$notebook: cell ${cell.number} failed:\n$head\n$error"
}
