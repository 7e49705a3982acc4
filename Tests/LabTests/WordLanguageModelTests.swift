// The word-level neural LMs as models of prob and generate (Lab/WordLanguageModels.swift) and the two contrasts of
// lessons 5 and 6 (Lab/WordModelContrasts.swift), on the shipped Models/{nnlm,rnn,gru}-stories-en.
import Testing
import Foundation
import Decoding
import LabCore
@testable import Lab

private func shipped(_ name: String) throws -> WordLanguageModel {
    let model = try ModelLoader.wordModel(name)
    try #require(model != nil, "\(name) should load as a word-level model")
    return model!
}

@Test func wordModelsLoadByNameAndOthersAreLeftToTheErnieLoader() throws {
    for name in ["nnlm-stories-en", "rnn-stories-en", "gru-stories-en", "Models/gru-stories-en", "Models/rnn-stories-en/model.safetensors"] {
        _ = try shipped(name)
    }
    #expect(try ModelLoader.wordModel("tiny-ernie") == nil)
    #expect(try ModelLoader.wordModel("Models/seq2seq-numbers") == nil)
}

@Test func aSentenceRunsFromStartToEndAndUnknownWordsAreNamed() throws {
    let rnn = try shipped("rnn-stories-en")
    let (ids, convention) = rnn.sentenceIds("Luna went to the zzzz park.")
    #expect(ids.first == rnn.tokens.beginId && ids.last == rnn.tokens.endId && ids.contains(rnn.tokens.unknownId))
    #expect(convention.contains("<unk>: zzzz"))
    #expect(rnn.text(ids) == "luna went to the <unk> park . </s>")
    #expect(rnn.promptIds("luna went") == [rnn.tokens.beginId] + rnn.words("luna went").ids)
}

@Test func probScoresEveryWordAndTheEndAsTheModelPredictsThemStepByStep() throws {
    let (rnn, gru) = (try shipped("rnn-stories-en"), try shipped("gru-stories-en"))
    let (a, b, _) = try rnn.scores(text: "on sunday , luna went to the park .", ids: nil, compare: gru, givenIdsConvention: { _ in "" })
    let ids = rnn.sentenceIds("on sunday , luna went to the park .").ids
    // Reference: the model's own next-word distributions, one word at a time.
    for (score, model) in [(a, rnn), (try #require(b), gru)] {
        var reference = 0.0
        for i in 1..<ids.count {
            reference += log(try WordModelContrasts.nextWord(model.model, after: Array(ids[..<i]))[ids[i]])
        }
        print("\(score.model): ledger \(score.totalLogProb), step by step \(reference)")
        #expect(abs(score.totalLogProb - reference) < 1e-4)
        #expect(score.scoredCount == ids.count - 1)
    }
    #expect(throws: (any Error).self) { try rnn.checkedIds([1, rnn.tokens.count]) }
}

@Test func theNNLMCannotSeeBeforeItsWindowAndTheRNNCan() throws {
    let (nnlm, rnn) = (try shipped("nnlm-stories-en"), try shipped("rnn-stories-en"))
    let a = "on sunday , luna went to the park with", b = "on sunday , tom went to the park with"
    func next(_ m: WordLanguageModel, _ text: String) throws -> [Double] {
        try WordModelContrasts.nextWord(m.model, after: m.promptIds(text))
    }
    #expect(nnlm.contextSize == 4 && rnn.contextSize == nil)
    #expect(try next(nnlm, a) == next(nnlm, b))                       // bit for bit
    let (ra, rb) = (try next(rnn, a), try next(rnn, b))
    let her = rnn.tokens.idOrUnknown("her"), his = rnn.tokens.idOrUnknown("his")
    print("RNN: P(her | …luna…) \(ra[her]), P(his | …tom…) \(rb[his])")
    #expect(ra[her] > 0.5 && rb[his] > 0.5)
}
