// CommandHelpChinese — the Chinese of the lab's `--help` pages: each command's discussion (what it shows, the sources
// it follows, its examples) and the help line of each of its options and arguments. ChineseHelpPage lays a page out
// from ArgumentParser's own description of the command (its help dump: names, values, defaults, sections), so a
// page never drifts from what the parser takes; the words come from here. The tables are split by command family
// (CommandHelpChineseDecoding: decoding and models; CommandHelpChineseCourse: the classic models and the course;
// CommandHelpChineseTraining: training, post-training and benchmarks). A test checks that every command with a
// discussion has its Chinese and that every option's help has its line.

public enum CommandHelpChinese {
    /// Each command's discussion in Chinese, by the command's path ("beam", "bench decode"; "" is `lmlab` itself).
    public static let discussions: [String: String] = merged([decodingDiscussions, courseDiscussions,
                                                              trainingDiscussions])

    /// The help of each option and argument in Chinese, by its English text exactly as LabCLI declares it (one line
    /// serves every command that shares the option).
    public static let options: [String: String] = merged([decodingOptions, courseOptions, trainingOptions])

    /// The notes at the end of example commands ("lmlab train nnlm --resume   continue after Ctrl-C"), by their
    /// English; the command itself stays the English discussion's.
    public static let exampleNotes: [String: String] = [
        "the base model, on the stories": "基座模型，在故事语料上训练",
        "a short run elsewhere": "在别处做一次短训练",
        "continue after Ctrl-C": "Ctrl-C 之后接着训练",
        "the same, as a mixture of experts": "同上，但训练混合专家模型",
        "SFT of Models/tiny-ernie (chat)": "对 Models/tiny-ernie 做对话 SFT",
        "time 20 steps, save nothing": "计时 20 步，什么也不保存",
        "5-gram NNLM on stories-en": "在 stories-en 上训练 5 元 NNLM",
        "a trigram-window NNLM, short run": "三元窗口的 NNLM，短训练",
        "a server's model (docs/SERVING.md)": "服务器上的模型（docs/SERVING.md）",
    ]

    /// The titles of option groups (`@OptionGroup(title:)`), by their English.
    public static let sectionTitles: [String: String] = ["Beam search": "束搜索", "Sampling": "采样"]

    /// One table from the families' (a key two families both give keeps the first one's line).
    private static func merged(_ tables: [[String: String]]) -> [String: String] {
        tables.reduce(into: [:]) { all, table in all.merge(table) { first, _ in first } }
    }
}
