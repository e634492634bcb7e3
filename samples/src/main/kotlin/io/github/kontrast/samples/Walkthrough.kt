package io.github.kontrast.samples

/** One runnable walkthrough: a name for the launcher, the document it reproduces, and its body. */
interface Walkthrough {
  val name: String
  val summary: String
  /** Options it accepts, for the usage text: option to description. */
  val options: Map<String, String> get() = emptyMap()
  /** Runs it; returns the process exit code. */
  fun run(args: Args): Int

  /** Parses [argv] against [options]: keys with a space ("--epochs N") take a value, the others are flags. */
  fun parse(argv: List<String>): Args = Args(
    argv,
    options.keys.filter { ' ' in it }.map { it.substringBefore(' ').removePrefix("--") }.toSet(),
    options.keys.filter { ' ' !in it }.map { it.removePrefix("--") }.toSet(),
  )
}

/**
 * Command-line options of the form `--name value` and `--flag`. Unknown options are an error
 * naming the option and listing the known ones, so a typo never silently runs the default.
 */
class Args(argv: List<String>, private val known: Set<String>, private val flags: Set<String> = emptySet()) {
  private val values = mutableMapOf<String, String>()
  private val set = mutableSetOf<String>()

  init {
    var i = 0
    while (i < argv.size) {
      val a = argv[i]
      require(a.startsWith("--")) { "unexpected argument '$a': options look like --name value" }
      val (key, inline) = a.removePrefix("--").let { if ('=' in it) it.substringBefore('=') to it.substringAfter('=') else it to null }
      when {
        key in flags -> { require(inline == null) { "--$key takes no value" }; set += key }
        key in known -> {
          val v = inline ?: argv.getOrNull(++i) ?: throw IllegalArgumentException("--$key needs a value")
          values[key] = v
        }
        else -> throw IllegalArgumentException("unknown option --$key; known: ${(known + flags).sorted().joinToString { "--$it" }}")
      }
      i++
    }
  }

  fun flag(name: String): Boolean = name in set

  fun string(name: String): String? = values[name]

  fun int(name: String, default: Int, min: Int = 1): Int {
    val raw = values[name] ?: return default
    val v = raw.toIntOrNull() ?: throw IllegalArgumentException("--$name expects a whole number, got '$raw'")
    require(v >= min) { "--$name must be >= $min, got $v" }
    return v
  }

  fun double(name: String, default: Double): Double {
    val raw = values[name] ?: return default
    return raw.toDoubleOrNull() ?: throw IllegalArgumentException("--$name expects a number, got '$raw'")
  }
}
