// The Chinese --help of the classic models and the course: classify, corpus, embed, ngram, nnlm, rnn, seq2seq,
// exercise, home, lesson, lessons, repl and lmlab itself (see CommandHelpChinese.swift).

extension CommandHelpChinese {
    /// Discussions in Chinese, by command path.
    static let courseDiscussions: [String: String] = [:]

    /// Option and argument help in Chinese, by the English text as declared.
    static let courseOptions: [String: String] = [:]
}
