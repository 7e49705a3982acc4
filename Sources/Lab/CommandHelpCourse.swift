// The `--help` discussions of the course (lmlab, repl, lesson, lessons, exercise) commands (see CommandHelp.swift).

extension CommandHelp {
    /// `pluggable`: the exercises the lab can run on (LabExercises' ExercisePlug.pluggable).
    public static func exercisePlug(pluggable: [String]) -> String {
        """
        Exercises the lab can run on: \(pluggable.joined(separator: ", ")). The sampling ones show the tiny \
        ERNIE's next-token distribution after --prompt through your function and the lab's, and one seeded draw \
        from each; greedy_decoder generates with your decoder; add_k scores --sentence with your smoothing \
        (`ngram prob`); chat_template renders --prompt as a chat and tokenizes it; rms_norm normalises the tiny \
        ERNIE's hidden states after --prompt at every norm of its forward pass and predicts the next token \
        from your final norm.

        Examples:
          lmlab exercise plug top_p --prompt "The dog says" --parameter 0.8
          lmlab exercise plug greedy_decoder --prompt "One day, Luna went to the"
          lmlab exercise plug add_k --sentence "the pigeon did not come back ." \\
              --parameter 0.5
        """
    }

    public static let exercise = """
    The files are in Lessons/exercises/. Edit one, then `check` builds it (swiftc) with a small harness and \
    compares what it computes with the lab's implementation, showing the first divergence. `hint` gives one \
    hint at a time; the solution is shown when the check passes; `reset` puts the starter file back. `watch` \
    checks again every time you save; `plug` runs the lab on your passing code, beside the lab's own.

    Examples:
      lmlab exercise list
      lmlab exercise check top_p
      lmlab exercise watch
      lmlab exercise plug top_p --prompt "The dog says"
      lmlab exercise hint greedy_decoder
      lmlab exercise check greedy_decoder --api http://127.0.0.1:8080
      lmlab exercise reset top_p
    """

    public static let exerciseWatch = """
    Without NAME every exercise file is watched and the one you save is checked. A save is noticed within \
    a quarter of a second; building your file then takes a few seconds.
    """

    public static let lmlab = """
    With no command, lmlab shows the course and the commands. Every command also runs inside \
    `lmlab repl`, and most take --json for scripts. Any command line may end in --lang en or --lang zh: the \
    command then speaks that language (default: from the locale, or LMLAB_LANG).
    """

    public static let lessonList = """
    Examples:
      lmlab lesson list
      lmlab lesson list --lang zh
    """

    public static let lessonRun = """
    FILE is a path to a lesson (.md), or a lesson number or name looked up in Lessons/<lang>/.
    Examples:
      lmlab lesson run Lessons/en/03-decoding.md
      lmlab lesson run 3 --lang zh
      lmlab lesson run 04-ngram --cell counts
    Exits with status 1 at the first failing cell, naming the file, the line, the cell and the command — or the \
    `# expect:` line of the cell whose output broke it, and what the cell printed.
    """

    public static let lessonExport = """
    FILE is a lesson path, number or name as for `lesson run`. The written file keeps the lesson's text; after \
    each cell comes an ```output block: each command (after $) and what it printed, or why it failed.
    Examples:
      lmlab lesson export 3 --format md --out decoding.md
      lmlab lesson export Lessons/zh/04-ngram.md --format md --out ngram.md
    """

    public static let lessons = """
    --json prints [{number, file, title, summary, written}].

    Examples:
      lmlab lessons
      lmlab lessons --lang zh
      lmlab lessons --json
    """

    public static let repl = """
    Each line is one lab command, written as on the command line without `lmlab`:
      lmlab> lessons --lang zh
      lmlab> help bench
      lmlab> exit
    In a pipe (no terminal) it reads commands from standard input and prints plain output:
      printf 'lessons\\n' | lmlab repl
    History is kept in $XDG_STATE_HOME/lmlab/history (default $HOME/.local/state/lmlab/history),
    shared with the notebook's edit line. Tab completes the command being typed: its subcommands, its options,
    an option's values and model names.
    """
}
