// A Chinese learner who types a Chinese sentence into `nnlm prob` (the NNLM read only the English stories) is told
// which words (as the corpus splits them: Chinese by character) it does not know and were scored as <unk>, instead of a table of <unk> rows and nothing said.
import LabCore
import Testing
@testable import LabCLI

@Test func nnlmProbNamesTheWordsItScoredAsUnknown() {
    for (language, expected) in [(LessonLanguage.zh, "NNLM 的词表里没有这些词，按 <unk> 计分：猫、喵。HINT：NNLM 只读过英文故事"),
                                 (.en, "not in the NNLM's vocabulary, scored as <unk>: 猫, 喵. HINT: the NNLM read")] {
        let executor = LessonCellExecutor(capture: true)
        executor.language = language
        var out = ""
        #expect(executor.execute("nnlm prob \"猫 喵喵 .\"") { out += $0 } == .ok, "\(out)")
        #expect(out.contains(expected), "\(out)")
    }
    // An English sentence of known words says nothing of the kind.
    let executor = LessonCellExecutor(capture: true)
    var out = ""
    #expect(executor.execute("nnlm prob \"the dog says woof .\"") { out += $0 } == .ok, "\(out)")
    #expect(!out.contains("<unk>"), "\(out)")
}
