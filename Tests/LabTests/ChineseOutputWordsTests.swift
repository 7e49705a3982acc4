// Words a zh lesson's cells printed in English (w9 audit): the training line, the empty processor chain, the n-gram
// ledger's labels, inspect's parts, a headless run's headers and verdicts. Each reads the same in English as before.
import Decoding
import Foundation
import LabCore
import Testing
@testable import Lab

/// `body` in Chinese and in English.
private func both<T>(_ body: () throws -> T) rethrows -> (zh: T, en: T) {
    (try Learner.$language.withValue(.zh, operation: body), try Learner.$language.withValue(.en, operation: body))
}

@Test func theTrainingLineSpeaksTheLearnersLanguage() {
    var meter = TrainingMeter(totalSteps: 40, clock: { 0 })
    meter.record(step: 4, loss: 6.5, tokens: 256)
    let line = both { meter.line }
    print(line.zh)
    #expect(line.zh.hasPrefix("第 4/40 步  损失 6.500（平均 6.500）"))
    #expect(!line.zh.contains("loss") && !line.zh.contains("step"))
    #expect(line.en.hasPrefix("step 4/40  loss 6.500 (avg 6.500)"))
}

@Test func anEmptyProcessorChainSaysSoInChineseButItsDescriptionStaysEnglish() {
    let chain = ProcessorChain([])
    let shown = both { ProcessorChain.learnerText(chain.description) }
    #expect(shown.zh == "不做处理" && shown.en == "no processing")
    #expect(Learner.$language.withValue(.zh) { chain.description } == "no processing")   // sample --json writes it
    let t = try! ProcessorChain(temperature: 0.5)
    #expect(Learner.$language.withValue(.zh) { ProcessorChain.learnerText(t.description) } == "temperature 0.5")
}
