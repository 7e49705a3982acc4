// The notebook's input line: Tab completion of commands, options and model names (single match, shared prefix,
// cycling, a list only when nothing is shared) and Ctrl-R reverse search through the history (incremental, older
// matches, cancel restores, Enter takes).
import Testing
@testable import TerminalUI

private func type(_ line: InputLine, _ text: String) { for c in text { _ = line.handle(.char(c)) } }

/// A completer offering `words` whatever comes before (the notebook's knows the command: NotebookCompletionTests).
private func offering(_ words: [String]) -> InputLine.Completer { { _, word in words.filter { $0.hasPrefix(word) } } }

@Test func tabCompletesTheWordBeforeTheCursor() {
    let line = InputLine(prompt: "edit> ", complete: offering(["generate", "beam", "--beams", "--bos", "--model",
                                                                 "tiny-ernie", "tiny-ernie-instruct"]))
    type(line, "gen")
    _ = line.handle(.tab)
    #expect(line.value == "generate ", "one match: the word and a space")
    type(line, "--mo")
    _ = line.handle(.tab)
    #expect(line.value == "generate --model ")
    type(line, "tiny")
    _ = line.handle(.tab)
    #expect(line.value == "generate --model tiny-ernie", "two matches: extended to what they share")
    #expect(line.completionMatches == ["tiny-ernie", "tiny-ernie-instruct"], "the matches are offered")
    _ = line.handle(.tab)
    #expect(line.value == "generate --model tiny-ernie")
    _ = line.handle(.tab)
    #expect(line.value == "generate --model tiny-ernie-instruct", "further Tabs cycle through the matches")
    _ = line.handle(.tab)
    #expect(line.value == "generate --model tiny-ernie")
    type(line, " --b")
    #expect(line.completionMatches.isEmpty, "typing ends the cycle")
    _ = line.handle(.tab)
    #expect(line.value == "generate --model tiny-ernie --b", "--beams and --bos share only --b: offered, not guessed")
    #expect(line.completionMatches == ["--beams", "--bos"])
    _ = line.handle(.tab)
    #expect(line.value == "generate --model tiny-ernie --beams", "the next Tab shows the first")
    _ = line.handle(.tab)
    #expect(line.value == "generate --model tiny-ernie --bos")
    let none = InputLine(prompt: "> ", text: "xyz", complete: offering(["beam"]))
    _ = none.handle(.tab)
    #expect(none.value == "xyz", "no match: unchanged")
}

@Test func ctrlRSearchesTheHistoryBackwards() {
    let line = InputLine(prompt: "edit> ", text: "draft", history: ["tokenize hello", "beam \"The cat\" --beams 2", "prob hello", "beam \"A dog\""])
    _ = line.handle(.ctrl("r"))
    #expect(line.shownPrompt == "(reverse-i-search)`': ")
    type(line, "beam")
    #expect(line.value == "beam \"A dog\"", "the newest match first")
    _ = line.handle(.ctrl("r"))
    #expect(line.value == "beam \"The cat\" --beams 2", "Ctrl-R again: the next older match")
    _ = line.handle(.ctrl("r"))
    #expect(line.value == "beam \"The cat\" --beams 2", "no older match: stays")
    _ = line.handle(.escape)
    #expect(line.value == "draft" && line.search == nil, "Esc puts back what was there")

    _ = line.handle(.ctrl("r"))
    type(line, "hel")
    #expect(line.value == "prob hello")
    type(line, "lo t")
    #expect(line.shownPrompt.hasPrefix("(failed reverse-i-search)"), "no line contains 'hello t'")
    _ = line.handle(.backspace); _ = line.handle(.backspace)
    _ = line.handle(.right)
    #expect(line.search == nil && line.value == "prob hello", "another key keeps the match and edits on")
    type(line, "!")
    #expect(line.value == "prob hello!")

    _ = line.handle(.ctrl("r"))
    type(line, "tok")
    #expect(line.handle(.enter) == .submitted("tokenize hello"), "Enter takes the found line")
}
