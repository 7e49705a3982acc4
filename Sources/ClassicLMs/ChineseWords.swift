// ChineseWords — cutting Chinese text into words with a lexicon, by forward maximum matching.
//
// Written Chinese puts no spaces between words: 「那只小小的鸭子慢慢地把一个风筝带给了露娜」 is ten words, but a
// reader (or a program) has to find them. The lab's Chinese stories are generated from word lists
// (scripts/make_corpus.py), so the generator knows every word it wrote and ships them as stories.zh.lexicon.txt.
// With that list, forward maximum matching is exact on these stories: from the left, take the longest lexicon word
// that starts here; a character no word starts with stands alone. Word vectors (lesson 5) need words — the
// analogy 国王 : 王后 :: 男孩 : ? asks about 王后, which character vectors never see as one thing.
import Foundation

/// The words of a lexicon file, and how to cut a line into them.
public struct ChineseLexicon: Sendable, Equatable {
    public let words: Set<String>
    /// The longest word, in characters: the longest match ever tried.
    public let longest: Int

    /// Bounds on a lexicon file (a lesson's data may come from anyone): at most this many words, each this long.
    public static let maxWords = 200_000
    public static let maxWordLength = 32

    public init<S: Sequence>(words: S) where S.Element == String {
        let set = Set(words.filter { !$0.isEmpty })
        self.words = set
        longest = set.map(\.count).max() ?? 1
    }

    /// Reads one word per line (blank lines and surrounding spaces ignored).
    ///
    /// - Throws: `CorpusError.unreadable` naming the file, the line and the fix for a file that cannot be read, a
    ///   word with a space inside or longer than `maxWordLength`, or more than `maxWords` words.
    public init(contentsOf url: URL) throws {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw CorpusError.unreadable(path: url.path, reason: error.localizedDescription)
        }
        var words: [String] = []
        for (k, raw) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let word = raw.trimmingCharacters(in: .whitespaces)
            if word.isEmpty { continue }
            guard word.count <= Self.maxWordLength, !word.contains(where: \.isWhitespace) else {
                throw CorpusError.unreadable(path: url.path, reason: "line \(k + 1) is not one word of at most "
                    + "\(Self.maxWordLength) characters (a lexicon has one word per line)")
            }
            words.append(word)
            guard words.count <= Self.maxWords else {
                throw CorpusError.unreadable(path: url.path, reason: "more than \(Self.maxWords) words")
            }
        }
        self.init(words: words)
    }

    /// The words of `line`, left to right, longest match first; whitespace dropped; a character no lexicon word starts
    /// with is a word of its own (punctuation, or a character the lexicon lacks).
    public func split(_ line: String) -> [String] {
        let chars = Array(line.filter { !$0.isWhitespace })
        var out: [String] = []
        var i = 0
        while i < chars.count {
            var taken = 1
            for n in stride(from: min(longest, chars.count - i), through: 2, by: -1) where words.contains(String(chars[i..<i + n])) {
                taken = n
                break
            }
            out.append(String(chars[i..<i + taken]))
            i += taken
        }
        return out
    }
}
