// NumberTranslation — the toy translation task of lesson 6: English number words → Chinese numerals, 1 … 9999.
//
//   "three thousand four hundred five"   →   三 千 四 百 零 五
//   "two hundred seventeen"              →   两 百 一十七
//   "forty two"                          →   四十 二
//
// The Chinese side is cut into number words the way a word segmenter would: a digit, a unit (千, 百), a tens word
// (四十), a teen (十七, or 一十七 after a hundred), and 零. So the task is monotone — output token i translates one
// English word, in order — and yet not a lookup table: "two" becomes 两 before 千/百 but 二 elsewhere, "seventeen"
// becomes 一十七 after a hundred, and 零 (a gap of zeros) has no English word at all; it is aligned with the word after
// the gap. Every token comes with the position of the English word it translates, so a test can check that the
// attention learned to look there (Seq2Seq.swift). (With single characters as tokens, "forty" → 四 十, the attention
// moves on to the next word while emitting the predictable 十 — a nice heatmap, but not an alignment to measure.)

import LabCore

/// One sentence pair with its word alignment.
public struct NumberPair: Sendable, Equatable {
    public var value: Int
    /// English words, e.g. ["three", "thousand", "four", "hundred", "five"].
    public var english: [String]
    /// Chinese number words, e.g. ["三", "千", "四", "百", "零", "五"]; joined they are the numeral.
    public var chinese: [String]
    /// For each Chinese token, the index of the English word it translates.
    public var alignment: [Int]
}

public enum NumberTranslation {
    static let ones = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
    static let teens = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
                        "eighteen", "nineteen"]
    static let tens = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
    static let digits = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"]

    /// The pair for `n` (1 … 9999).
    public static func pair(_ n: Int) -> NumberPair {
        precondition((1...9999).contains(n), "NumberTranslation covers 1 … 9999, got \(n)")
        let (th, hu, te, un) = (n / 1000, n / 100 % 10, n / 10 % 10, n % 10)
        var en: [String] = [], zh: [String] = [], al: [Int] = []
        var gap = false                       // a zero place after a non-zero one: 零 before the next digit
        func emit(_ chars: [String], word: Int) {
            if gap { zh.append("零"); al.append(word); gap = false }
            for c in chars { zh.append(c); al.append(word) }
        }
        // thousands and hundreds: "<digit> thousand" → <digit> 千
        for (d, unitWord, unitChar) in [(th, "thousand", "千"), (hu, "hundred", "百")] {
            if d > 0 {
                en.append(ones[d])
                emit([d == 2 ? "两" : digits[d]], word: en.count - 1)
                en.append(unitWord)
                emit([unitChar], word: en.count - 1)
            } else if !en.isEmpty {
                gap = true
            }
        }
        if te == 1 {                          // ten … nineteen → 十…十九 (一十…一十九 after a hundred or thousand)
            en.append(teens[un])
            emit([(n >= 100 ? "一" : "") + "十" + (un > 0 ? digits[un] : "")], word: en.count - 1)
            return NumberPair(value: n, english: en, chinese: zh, alignment: al)
        }
        if te >= 2 {                          // twenty … ninety → 二十 … 九十
            en.append(tens[te])
            emit([digits[te] + "十"], word: en.count - 1)
        } else if !en.isEmpty {
            gap = true
        }
        if un > 0 {
            en.append(ones[un])
            emit([digits[un]], word: en.count - 1)
        }
        return NumberPair(value: n, english: en, chinese: zh, alignment: al)
    }

    /// The number `english` writes the way the task does ("three thousand four hundred five" → 3405), nil when it
    /// is no number 1 … 9999 in that form ("twelve thousand", "three hundred and five").
    public static func value(of english: [String]) -> Int? { numbersByWords[english.joined(separator: " ")] }

    private static let numbersByWords: [String: Int] = Dictionary(uniqueKeysWithValues: (1...9999).map {
        (pair($0).english.joined(separator: " "), $0)
    })

    /// Every number 1 … 9999, split by a seeded shuffle into training pairs and `heldOut` held-out pairs.
    public static func split(heldOut: Int = 500, seed: UInt64 = 2024) -> (train: [NumberPair], heldOut: [NumberPair]) {
        var numbers = Array(1...9999)
        var rng = SeededRNG(seed: seed)
        rng.shuffle(&numbers)
        let pairs = numbers.map(pair)
        return (Array(pairs[heldOut...]), Array(pairs[..<heldOut]))
    }

    /// Source words (English) in a fixed order.
    public static var englishWords: [String] { Array(ones.dropFirst()) + teens + Array(tens.dropFirst(2)) + ["hundred", "thousand"] }
    /// Target tokens (Chinese number words) in a fixed order.
    public static var chineseTokens: [String] {
        digits + ["两", "百", "千"] + digits.dropFirst(2).map { $0 + "十" }
            + ["十", "一十"] + digits.dropFirst().flatMap { ["十" + $0, "一十" + $0] }
    }
}
