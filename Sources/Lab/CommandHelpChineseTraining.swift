// The Chinese --help of training, post-training and benchmarks: train, rl, dpo-reward, bench (see
// CommandHelpChinese.swift).

extension CommandHelpChinese {
    /// Discussions in Chinese, by command path.
    static let trainingDiscussions: [String: String] = [:]

    /// Option and argument help in Chinese, by the English text as declared.
    static let trainingOptions: [String: String] = [:]
}
