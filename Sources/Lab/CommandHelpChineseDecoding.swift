// The Chinese --help of decoding and models: generate, sample, beam, prob, check, serve, attention, download,
// inspect, layer, lens, load, models, moe, probe, tokenize (see CommandHelpChinese.swift).

extension CommandHelpChinese {
    /// Discussions in Chinese, by command path.
    static let decodingDiscussions: [String: String] = [:]

    /// Option and argument help in Chinese, by the English text as declared.
    static let decodingOptions: [String: String] = [:]
}
