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
