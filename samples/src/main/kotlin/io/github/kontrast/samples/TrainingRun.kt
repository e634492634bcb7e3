package io.github.kontrast.samples

import io.github.kontrast.dsl.engine.Callback
import io.github.kontrast.dsl.engine.Checkpoint
import io.github.kontrast.dsl.engine.History
import io.github.kontrast.dsl.engine.TrainingControl
import java.io.IOException
import java.nio.file.Files
import java.nio.file.Path

/**
 * A walkthrough's training of [epochs] epochs into [out], which `--resume` continues exactly.
 *
 * After every epoch ([callback]) the epoch's values are appended to `history.csv` (one row per
 * epoch, as Keras' CSVLogger writes them) and then the model's whole state goes to
 * `checkpoint.ktck`, each written whole or not at all, in that order: the log always covers the
 * epochs the checkpoint holds. [resume] restores the checkpoint (weights, optimizer slots, and the
 * step and epoch counters from which the batch order and the dropout masks follow), keeps the log's
 * rows up to its epoch, and returns how many epochs are done; fit then trains only the rest, and
 * [history] covers the whole run as if it had never stopped.
 */
class TrainingRun(val out: Path, val epochs: Int) {
  val checkpoint: Path = out.resolve("checkpoint.ktck")
  val log: Path = out.resolve("history.csv")

  private val rows = mutableListOf<Map<String, Double>>()

  /** Starts afresh: a checkpoint and log of an earlier run in [out] go, so that --resume never mixes two runs. */
  fun fresh() {
    Files.deleteIfExists(checkpoint)
    Files.deleteIfExists(log)
    rows.clear()
  }

  /**
   * Restores the model from [checkpoint] with [restore], which returns the model's epoch counter
   * afterwards, and reads the log. A missing or unreadable checkpoint or log is an [IOException];
   * a checkpoint with more epochs than [epochs] an [IllegalArgumentException].
   */
  fun resume(restore: (Path) -> Int): Int {
    requireCheckpoint()
    val done = try {
      restore(checkpoint)
    } catch (e: IllegalArgumentException) {
      throw IOException("cannot resume from $checkpoint: ${e.message}", e)
    }
    require(done <= epochs) { "--epochs $epochs is fewer than the $done epochs that $checkpoint already holds" }
    val logged = readLog()
    if (logged.size < done) throw IOException("cannot resume: $log has ${logged.size} epochs, the checkpoint $done")
    rows.clear()
    rows += logged.take(done)
    return done
  }

  /** Fails, before anything is loaded, when there is no checkpoint to resume from. */
  fun requireCheckpoint() {
    if (!Files.isRegularFile(checkpoint)) throw IOException("nothing to resume: $checkpoint does not exist (a run writes it after each epoch)")
  }

  /** For fit: after each epoch, the log and then the checkpoint. */
  val callback: Callback = object : Callback() {
    override fun onEpochEnd(epoch: Int, logs: Map<String, Double>, control: TrainingControl) {
      rows += LinkedHashMap(logs)
      writeLog()
      control.save(checkpoint)
    }
  }

  /** Every epoch's values, those before a resume included. */
  fun history(): History = History().apply { rows.forEachIndexed { i, r -> addEpoch(i + 1, r) } }

  /** The line Ctrl-C prints (once writes are held): which epoch the checkpoint on disk holds, and how to go on. */
  fun interruptedMessage(): String {
    val saved = if (Files.isRegularFile(checkpoint)) Checkpoint.readCounters(checkpoint).epoch else 0
    return if (saved == 0) "interrupted before the first epoch ended; nothing was saved to resume from"
    else "interrupted; $checkpoint holds epoch $saved of $epochs: the same command with --resume continues from there"
  }

  private fun writeLog() {
    val keys = rows.flatMap { it.keys }.distinct()
    val text = buildString {
      append("epoch,").append(keys.joinToString(",")).append('\n')
      // Double.toString gives back the same double when parsed: a resumed run's figures are exact
      rows.forEachIndexed { i, r -> append(i + 1).append(',').append(keys.joinToString(",") { (r[it] ?: Double.NaN).toString() }).append('\n') }
    }
    Checkpoint.writeAtomically(log) { it.write(text.toByteArray(Charsets.UTF_8)) }
  }

  private fun readLog(): List<Map<String, Double>> {
    if (!Files.isRegularFile(log)) return emptyList()
    val lines = Files.readAllLines(log).filter { it.isNotBlank() }
    if (lines.isEmpty()) return emptyList()
    val keys = lines[0].split(',')
    if (keys.firstOrNull() != "epoch") throw IOException("$log is not a history log: its first line is '${lines[0]}'")
    return lines.drop(1).mapIndexed { i, line ->
      val cells = line.split(',')
      val values = cells.map { it.toDoubleOrNull() }
      if (cells.size != keys.size || values.any { it == null } || values[0] != (i + 1).toDouble()) {
        throw IOException("$log, line ${i + 2}: expected epoch ${i + 1} and ${keys.size - 1} numbers, got '$line'")
      }
      keys.drop(1).zip(values.drop(1)) { k, v -> k to v!! }.toMap(LinkedHashMap())
    }
  }
}
