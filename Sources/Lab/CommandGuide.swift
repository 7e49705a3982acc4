// CommandGuide — the lab's commands in the learner's language: what `help` says in `lmlab repl` and what the
// plain home screen lists. The English line is each command's own abstract (swift-argument-parser's, in LabCLI);
// the Chinese one is here, one per top-level command, so a Chinese-speaking learner reads the list in Chinese.
// A command's whole page (`help NAME`) in Chinese is ChineseHelpPage's, which opens with this line.

import LabCore

public enum CommandGuide {
    /// One line per top-level command, in Chinese (a test checks every command has one).
    public static let chinese: [String: String] = [
        "home": "显示课程与命令（单独运行 `lmlab` 时就是它）。",
        "lessons": "列出课程的各课，以及哪些已经写好。",
        "lesson": "无界面地运行一课的单元、连同输出导出，或列出各课。",
        "repl": "在 readline 交互环境里运行实验室命令（历史、补全）。",
        "bench": "测量这台机器运行实验室的速度（请用 release 构建）。",
        "tokenize": "看分词器怎样切分一段文字：词片段、id、字节，以及解码回来的文字。",
        "models": "列出实验室认识的模型、它们在哪里、能否运行。",
        "load": "为本次会话给模型起个名字：之后的命令用 --model 名字。",
        "download": "从 Hugging Face Hub 或 ModelScope 下载模型到共享缓存。",
        "prob": "用模型给一段文字打分：每个词元在上文下的概率、总和与困惑度。",
        "classify": "以生成做分类：比较每个标签的 log P(标签 | 提示词)。",
        "dpo-reward": "DPO 的隐式奖励 β·(log π(y|x) − log π_ref(y|x))，以及它意味着的偏好。",
        "inspect": "打开一个模型：结构、各部分参数、字节数，以及 GQA 省下的 KV 缓存。",
        "lens": "logit lens：每一层在每个位置会预测什么。",
        "moe": "混合专家模型：看路由器怎样工作。",
        "layer": "在看得清的小向量上运行引擎自己的 RoPE、RMSNorm 和 SwiGLU。",
        "rl": "强化学习：对小指令模型做几十步策略梯度更新（带对 SFT 模型的 KL 项），看奖励上升。",
        "attention": "一步步看注意力：Q、K、V、得分、掩码、softmax、输出；多头与 GQA；模型的注意力图。",
        "check": "拿实验室与 API 对照：逐词元比较贪心解码。",
        "serve": "把模型作为 OpenAI 兼容的 API 提供服务。",
        "exercise": "课程练习：编辑一个 Swift 文件，与实验室自己的实现对照检查。",
        "corpus": "经典课程的语料：列出它们，或查看规模、词表、高频词与齐普夫定律。",
        "ngram": "统计语料的 n 元组：概率、困惑度、稀疏性、生成。",
        "nnlm": "查询训练好的神经 n 元语言模型（Bengio 等，2003）。",
        "rnn": "看循环语言模型（Elman RNN 与 GRU）的内部。",
        "seq2seq": "用注意力翻译器把英文数字词翻译成中文数字。",
        "embed": "word2vec：在课程语料上训练词向量；近邻、类比和二维 PCA 地图。",
        "generate": "用模型续写文字：贪心、带种子的采样或束搜索（含搜索树）。",
        "sample": "采样续写；加 --show-dist 显示下一个词元的分布（原始与处理后）。",
        "beam": "束搜索；加 --tree 画出搜索排过的每个候选及其去向。",
        "probe": "询问 OpenAI 兼容的服务器（vLLM、llama.cpp、ollama…）给出的对数概率。",
        "train": "训练实验室自己的模型：实时损失、每秒词元数与剩余时间；Ctrl-C 保存检查点。",
    ]

    /// A command's one line in the learner's language (`english`, its abstract, when there is no translation).
    public static func summary(_ name: String, english: String) -> String {
        Learner.isChinese ? chinese[name] ?? english : english
    }

    /// What `help` prints in the REPL: how a line is written, then every command with its line, wrapped to `columns`
    /// under the command's line (never by the terminal, which would start a line with "）" or "。").
    /// - Parameter commands: the top-level commands, in the root command's order, with their English abstracts.
    public static func replHelp(_ commands: [(name: String, abstract: String)], columns: Int = 80) -> String {
        var lines = wrapped(Learner.text("Each line is one lab command, written without `lmlab`. Commands:",
                                         "每行写一条实验室命令，不用写 `lmlab`。命令："), width: columns)
        lines += commandList(commands, columns: columns)
        lines.append("")
        lines += wrapped(Learner.text("help NAME shows a command's usage and examples; exit or Ctrl-D leaves.",
                                      "help 命令名 显示该命令的用法与示例；exit 或 Ctrl-D 离开。"), width: columns)
        return lines.joined(separator: "\n")
    }

    /// "  PREFIXNAME  its line": every command with its line in the learner's language, the line wrapped to
    /// `columns` under itself (REPL help, the home screen).
    public static func commandList(_ commands: [(name: String, abstract: String)], prefix: String = "",
                                   columns: Int) -> [String] {
        rows(commands.map { (prefix + $0.name, summary($0.name, english: $0.abstract)) }, columns: columns)
    }

    /// "  NAME  line" for each row, the names padded to one width, a line wrapped under itself.
    static func rows(_ rows: [(name: String, line: String)], columns: Int) -> [String] {
        let nameWidth = rows.map { EastAsianWidth.cells($0.name) }.max() ?? 0
        return rows.flatMap { r in
            wrapped("  " + EastAsianWidth.pad(r.name, toCells: nameWidth) + "  " + r.line, width: columns,
                    hangingIndent: 2 + nameWidth + 2)
        }
    }

    /// `text` wrapped to `width` display cells (at least 20), as plain lines; a continuation starts `hangingIndent`
    /// cells in.
    public static func wrapped(_ text: String, width: Int, hangingIndent: Int? = nil) -> [String] {
        OutputLayout.text(OutputText(text, hangingIndent: hangingIndent), width: max(20, width))
            .map { $0.trimmingTrailingSpaces().text }
    }

    /// The REPL's greeting.
    public static var replGreeting: String {
        Learner.text("LMLab REPL — type `help` for the commands, `exit` or Ctrl-D to leave.",
                     "LMLab 交互环境 —— 输入 `help` 查看命令，`exit` 或 Ctrl-D 离开。")
    }

    /// `lmlab --help` for a Chinese learner: what the root's English help says (what lmlab is, how a line is
    /// written, its two options, every command), in Chinese, and where the English is. Each command's own page is
    /// ChineseHelpPage's.
    public static func rootHelp(_ commands: [(name: String, abstract: String)], columns: Int = 80) -> String {
        var lines = wrapped("LMLab —— 亲手运行，学懂大语言模型。不带命令时，lmlab 显示课程和命令；每条命令也能在 "
                            + "`lmlab repl` 里运行，大多数加 --json 就输出给脚本读的 JSON。任何命令行末尾都可以加 "
                            + "--lang en 或 --lang zh，命令就用那种语言输出（默认跟随 locale 或 LMLAB_LANG）。", width: columns)
        lines += ["", "用法：lmlab <命令> [选项]", "", "选项："]
        lines += rows([("--version", "显示版本。"), ("-h, --help", "显示帮助。")], columns: columns)
        lines += ["", "命令："] + commandList(commands, columns: columns)
        lines.append("")
        lines += wrapped("`lmlab help 命令名` 显示该命令的用法与示例。", width: columns)
        lines.append("英文版的这一页：lmlab --help --lang en")
        return lines.joined(separator: "\n")
    }
}
