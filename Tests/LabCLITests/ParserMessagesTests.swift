// ArgumentParser's own errors — a missing value, an unknown option, a value it cannot read — reach a Chinese
// learner in Chinese on the command line, in the REPL and in a cell; in English they are exactly what ArgumentParser
// wrote. The lines are made by parsing real mistyped command lines with the lab's root command, so a newer
// ArgumentParser that words a message otherwise fails here rather than leaving English behind unseen.
import ArgumentParser
import Foundation
import Lab
import LabCore
import LabTestSupport
import Testing
@testable import LabCLI

/// What the command line prints for `words`, in `language`, and ArgumentParser's own text for it.
private func parseFailure(_ words: [String], _ language: LessonLanguage) -> (shown: String, parser: String)? {
    Learner.$language.withValue(language) {
        do { _ = try LMLab.parseAsRoot(words); return nil } catch {
            return (CommandFailure(error, command: LMLab.self).message, LMLab.fullMessage(for: error))
        }
    }
}

@Test func argumentParsersErrorsReachAChineseLearnerInChinese() throws {
    let lines: [[String]] = [
        ["prob"],                                                   // Missing expected argument '--model <model>'
        ["sample", "hi", "--model", "m", "--temperature"],          // Missing value for '--temperature <temperature>'
        ["generate", "hi", "--model", "m", "--max-new-tokens", "abc"], // The value 'abc' is invalid for …
        ["generate", "hi", "--model", "m", "--strategy", "foo"],    // … Please provide one of 'greedy', 'beam' or 'sample'.
        ["ngram", "train", "--order", "9"],                         // Unknown option '--order'
        ["prob", "x", "--model", "m", "--modell"],                  // Unknown option '--modell'. Did you mean '--model'?
        ["tokenize", "a", "b", "--model", "m"],                     // Unexpected argument 'b'
        ["tokenize", "a", "b", "c", "--model", "m"],                // 2 unexpected arguments: 'b', 'c'
        ["tokenize", "a", "--model", "m", "--json=yes"],            // The option '--json' does not take any value …
    ]
    for words in lines {
        let english = try #require(parseFailure(words, .en), "\(words) parses")
        #expect(english.shown == english.parser, "English is ArgumentParser's own text: \(english.shown)")
        let chinese = try #require(parseFailure(words, .zh))
        print(chinese.shown.split(separator: "\n").first ?? "")
        #expect(chinese.shown.hasPrefix("错误："), "\(chinese.shown)")
        #expect(chinese.shown.contains("  详见 'lmlab "), "\(chinese.shown)")
        // The usage after 用法： is the parser's, as typed; the option help after 说明： is the help pages' Chinese.
        for line in chinese.shown.split(separator: "\n") where !line.hasPrefix("用法：") {
            #expect(ChineseWording.englishRun(in: String(line)) == nil, "\(words): English left in \(line)")
        }
    }
    #expect(parseFailure(["sample", "hi", "--model", "m", "--top-k"], .zh)?.shown.contains(
        "\n说明：--top-k <top-k>  " + (CommandHelpChinese.options["Keep the K most likely tokens (1…1000000)."] ?? "?")) == true)
    // Names, values and choices are carried over as typed.
    #expect(parseFailure(["generate", "hi", "--model", "m", "--strategy", "foo"], .zh)?.shown.hasPrefix(
        "错误：'--strategy <strategy>' 不接受 'foo' 这个值。可选：'greedy'、'beam'、'sample'。\n") == true)
    #expect(parseFailure(["prob", "x", "--model", "m", "--modell"], .zh)?.shown.hasPrefix(
        "错误：没有 '--modell' 这个选项。你是说 '--model' 吗？\n") == true)
}

@Test func theParsersRarerSentencesAndOurOwnMessagesAreLeftRight() {
    let sentence = { (english: String) in ParserMessages.inLearnerLanguage("Error: " + english) }
    Learner.$language.withValue(.zh) {
        #expect(sentence("Missing one of: '--a', '--b'") == "错误：缺少其中之一：'--a', '--b'。")
        #expect(sentence("Missing required subcommand.") == "错误：缺少子命令。")
        #expect(sentence("Value to be set with flag '--x' had already been set with flag '--y'")
                == "错误：flag '--x' 要设的值已经由 flag '--y' 设过了。")
        #expect(sentence("The value '7' is invalid for '--n <n>': too big") == "错误：'--n <n>' 不接受 '7' 这个值：too big")
        // A message of our own is already in the learner's language: only the label changes.
        let own = "Error: --port 99999 超出了 0…65535。HINT：给 --port 一个 0…65535 之间的值（见 --help）。"
        #expect(ParserMessages.inLearnerLanguage(own) == "错误：--port 99999 超出了 0…65535。HINT：给 --port 一个 0…65535 之间的值（见 --help）。")
        // A sentence it does not know stays as it is.
        #expect(ParserMessages.inLearnerLanguage("Error: Something new") == "错误：Something new")
    }
    Learner.$language.withValue(.en) {
        #expect(ParserMessages.inLearnerLanguage("Error: Unknown option '--x'\nUsage: lmlab") == "Error: Unknown option '--x'\nUsage: lmlab")
    }
}

@Test func aLangOnTheLineChoosesTheLanguageOfItsParseErrors() {
    #expect(LessonLanguage.requested(in: ["exercise", "list", "--lang", "zh", "--bogus"]) == .zh)
    #expect(LessonLanguage.requested(in: ["lessons", "--lang=en"]) == .en)
    #expect(LessonLanguage.requested(in: ["lessons", "--lang", "zh", "--lang", "en"]) == .en, "the last one, as parsing takes")
    #expect(LessonLanguage.requested(in: ["lessons", "--lang", "fr"]) == nil, "parsing refuses it and says why")
    #expect(LessonLanguage.requested(in: ["lessons", "--lang"]) == nil)
    #expect(LessonLanguage.requested(in: ["prob", "--", "--lang", "zh"]) == nil, "after -- it is text, not an option")
}

@Test func aFailedCellReportsTheParsersSentenceInChineseWithoutItsLabel() {
    for (language, start) in [(LessonLanguage.zh, "'--temperature <temperature>' 后面缺少值。\n"),
                              (.en, "Missing value for '--temperature <temperature>'\n")] {
        Learner.$language.withValue(language) {
            do {
                _ = try LMLab.parseAsRoot(["sample", "hi", "--model", "m", "--temperature"])
                Issue.record("a missing value parsed")
            } catch {
                let report = LessonCellExecutor.failure(error)
                #expect(report.hasPrefix(start), "\(report)")
            }
        }
    }
}

/// An error that quotes what was typed (a word not in word2vec's vocabulary, a number word seq2seq does not know)
/// shows the escape sequences and bells in it; the terminal never receives them (w17 REPL walk 1).
@Test func anErrorShowsTheControlsItQuotesInsteadOfSendingThem() {
    for language in LessonLanguage.allCases {
        let shown = Learner.$language.withValue(language) {
            ParserMessages.inLearnerLanguage("Error: '猫\u{1b}]0;pwned\u{7}\u{1b}[2J' is not known.\nUsage: lmlab x")
        }
        #expect(!shown.unicodeScalars.contains { $0.properties.generalCategory == .control && $0 != "\n" }, "\(shown)")
        #expect(shown.contains("'猫\\u{1b}]0;pwned\\u{7}\\u{1b}[2J'") && shown.hasSuffix("\n" + Learner.$language
            .withValue(language) { Learner.text("Usage: ", "用法：") } + "lmlab x"), "\(shown)")
    }
}

/// `help nosuch` in a Chinese REPL (the words `nosuch --help`) is no help page: the REPL then says there is no such
/// command instead of printing the whole list (w17 REPL walk 2). A group's page and a command's still come.
@Test func aChineseHelpForACommandThatDoesNotExistIsNoPage() {
    Learner.$language.withValue(.zh) {
        #expect(LMLabMain.chineseHelp(["nosuch", "--help"], columns: 80) == nil)
        #expect(LMLabMain.chineseHelp(["help", "nosuch"], columns: 80) == nil)
        #expect(LMLabMain.chineseHelp(["ngram", "nosuch", "--help"], columns: 80) == nil)
        #expect(LMLabMain.chineseHelp(["--help"], columns: 80)?.contains("generate") == true)
        #expect(LMLabMain.chineseHelp(["ngram", "--help"], columns: 80)?.contains("用法：") == true)
        #expect(LMLabMain.chineseHelp(["generate", "a b", "--help"], columns: 80)?.contains("用法：") == true)
    }
}
