// OptionConflicts — what a command says when two of its options do not go together, or one needs another, in the
// learner's language. LabCLI's validate() methods throw these as usage errors (exit 64, the command's usage after
// them); the wording lives here so the commands stay a line of parsing each.
//
//   $ LMLAB_LANG=zh lmlab beam "Hi" --format dot
//   Error: --format 决定 --tree 怎么画。HINT：加上 --tree。
import LabCore

public enum OptionConflict {
    /// `--explore` together with `--json`: the full-screen `view` ("explorer", "ledger", "lens", "heatmap") has no JSON.
    public static func exploreWithJSON(_ view: (en: String, zh: String)) -> String {
        Learner.text("--explore opens the full-screen \(view.en); it does not combine with --json.",
                     "--explore 会全屏打开\(view.zh)，不能和 --json 一起用。")
    }

    /// `exercise check --hint --json`.
    public static var hintWithJSON: String {
        Learner.text("--hint prints a hint for you to read; --json is for programs. HINT: leave one out.",
                     "--hint 打印给你读的提示，--json 是给程序读的。HINT：去掉其中一个。")
    }

    /// `moe --json --explore`.
    public static var jsonOrExplore: String {
        Learner.text("--json and --explore do not go together. HINT: choose one.",
                     "--json 和 --explore 不能一起用。HINT：二选一。")
    }

    /// `sample --top` without a view that lists tokens.
    public static var topWithoutList: String {
        Learner.text("--top lists tokens of --show-dist or --explore. HINT: add --show-dist.",
                     "--top 用来列出 --show-dist 或 --explore 的词元。HINT：加上 --show-dist。")
    }

    /// `sample --explore` with a printed view's options.
    public static var exploreWithPrintedOptions: String {
        Learner.text("--explore opens the full-screen explorer; it does not combine with --show-dist, --json or --max-new-tokens.",
                     "--explore 会全屏打开探索器，不能和 --show-dist、--json 或 --max-new-tokens 一起用。")
    }

    /// `sample --show-dist --max-new-tokens N`.
    public static var showDistGenerates: String {
        Learner.text("--show-dist looks at the next token only. HINT: drop --max-new-tokens, or drop --show-dist to generate.",
                     "--show-dist 只看下一个词元。HINT：去掉 --max-new-tokens；想生成就去掉 --show-dist。")
    }

    /// `--top-p` of 0 or less.
    public static func topPKeepsNothing(_ topP: Float) -> String {
        Learner.text("--top-p \(topP) keeps no token: P must be above 0 and at most 1. "
                        + "HINT: for always the most likely token use --strategy greedy; 0.9 is usual.",
                     "--top-p \(topP) 一个词元都不留：P 必须大于 0 且不超过 1。"
                        + "HINT：想每次都取最可能的词元就用 --strategy greedy；常用 0.9。")
    }

    /// `beam --format` without `--tree`.
    public static var formatWithoutTree: String {
        Learner.text("--format chooses how --tree is drawn. HINT: add --tree.", "--format 决定 --tree 怎么画。HINT：加上 --tree。")
    }

    /// `beam --steps N --max-new-tokens M`: two names of one length.
    public static var stepsTwice: String {
        Learner.text("--steps and --max-new-tokens are the same option for beam. HINT: give one of them.",
                     "对 beam 来说 --steps 和 --max-new-tokens 是同一个选项。HINT：只给其中一个。")
    }

    public static var earlyStoppingBothWays: String {
        Learner.text("--early-stopping and --never-stop-early contradict each other: pick one",
                     "--early-stopping 和 --never-stop-early 互相矛盾：选一个")
    }

    /// `check greedy` without a server to compare with.
    public static var checkGreedyNeedsAPI: String {
        Learner.text("check greedy compares with a server: give --api URL. HINT: lmlab check greedy --model tiny-ernie --api http://127.0.0.1:8080",
                     "check greedy 要和服务器比较：给出 --api URL。HINT：lmlab check greedy --model tiny-ernie --api http://127.0.0.1:8080")
    }

    public static var serverAddsBosNeedsBos: String {
        Learner.text("--server-adds-bos only makes sense with --bos.", "--server-adds-bos 只在用了 --bos 时才有意义。")
    }

    /// `--api-top` given to a command that compares completions, not log-probs.
    public static func apiTopUnused(by command: String) -> String {
        Learner.text("--api-top sets the log-probs asked for per step; \(command) compares the server's completions. HINT: leave out --api-top.",
                     "--api-top 设置每步要的对数概率个数；\(command) 比较的是服务器的续写。HINT：去掉 --api-top。")
    }

    public static var benchWithResume: String {
        Learner.text("--bench and --resume do not go together.", "--bench 和 --resume 不能一起用。")
    }

    /// `embed train --model`.
    public static var embedTrainWithModel: String {
        Learner.text("embed train trains a new model; --model is for neighbors, analogy and map.",
                     "embed train 训练的是新模型；--model 用于 neighbors、analogy 和 map。")
    }

    /// `attention toy`: H query heads that Hkv K/V heads do not divide.
    public static func headsNotGrouped(heads: Int, kvHeads: Int) -> String {
        Learner.text("--heads \(heads) --kv-heads \(kvHeads): the query heads must split evenly over the K/V heads. "
                        + "HINT: give --kv-heads a divisor of \(heads) (\(divisors(heads))); 1 is multi-query attention.",
                     "--heads \(heads) --kv-heads \(kvHeads)：查询头必须能平均分给各个 K/V 头。"
                        + "HINT：--kv-heads 取 \(heads) 的约数（\(divisors(heads))）；取 1 就是多查询注意力。")
    }

    /// "1, 2, 4" — the divisors of n, for the hint.
    private static func divisors(_ n: Int) -> String {
        (1...max(1, n)).filter { n % $0 == 0 }.map(String.init).joined(separator: Learner.text(", ", "、"))
    }

    /// `bench tui --size` that is not COLSxROWS.
    public static func screenSize(_ size: String) -> String {
        Learner.text("--size \(size): write COLSxROWS, e.g. 80x24 (40x10…1000x1000).",
                     "--size \(size)：写成 COLSxROWS，例如 80x24（40x10…1000x1000）。")
    }
}
