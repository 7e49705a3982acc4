// The learner-facing text of `lmlab <command> --help` beyond the one-line abstracts: what a command shows, the
// sources it follows, and examples. The strings live here with the rest of the lab's wording (one file per command
// family: CommandHelpCourse, CommandHelpModels, CommandHelpDecoding, CommandHelpEarlyModels, CommandHelpTraining,
// CommandHelpBench); LabCLI's command configurations name them (`discussion: CommandHelp.beam`).

/// The `--help` discussions of the lab's commands, named after the command (`benchKernels` is `lmlab bench kernels`).
public enum CommandHelp {}
