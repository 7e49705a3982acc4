// `seq2seq lengths` writes its shares as every other share of the lab does ("98.7%"); it wrote "100.0 %".
import Foundation
import Lab
import LabCore
import NeuralLMs
import Testing

@Test func seq2seqLengthsWritesItsSharesWithoutASpace() {
    let pairs = [7, 42, 105, 3405].map(NumberTranslation.pair)
    let attention = Seq2Seq.numbers(), plain = Seq2Seq.numbers(config: Seq2SeqConfig(usesAttention: false))
    let text = OutputLayout.lines(SequenceReports.lengths(attention: attention, plain: plain, pairs: pairs), width: 80)
        .map(\.text).joined(separator: "\n")
    print(text)
    #expect(text.contains("%") && !text.contains(" %"), "\(text)")
    #expect(text.range(of: #"\d\.\d%"#, options: .regularExpression) != nil)
}

/// A translation of words the task never wrote ("twelve thousand": 12000 is past 9999) says its answer is a guess;
/// one of the task's numbers is printed alone (w17 REPL walk 7).
@Test func aTranslationOutsideTheTaskSaysItIsAGuess() {
    func shown(_ words: String) -> String {
        let t = Seq2Seq.numbers().translate(words.split(separator: " ").map(String.init))     // untrained: any output
        return Learner.$language.withValue(.en) {
            OutputLayout.lines(SequenceReports.translation(t, alignment: false), width: 200).map(\.text).joined(separator: "\n")
        }
    }
    #expect(shown("twelve thousand").contains("note: \"twelve thousand\" is not a number 1 … 9999"), "\(shown("twelve thousand"))")
    #expect(shown("one thousand").split(separator: "\n").count == 1, "\(shown("one thousand"))")
}
