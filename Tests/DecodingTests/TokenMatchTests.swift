// TokenMatch: a server token named by text alone resolves to the local token with that rendering whose log-prob is
// the server's — the case of llama-cpp-python's "" for byte pieces, unused ids and control tokens.
import Decoding
import Testing

private let pieces = ["<unk>", "<s>", "</s>", "▁the", "<0xE9>", "<0x9C>", "<0xB2>", "▁cat", "the"]
private func piece(_ id: Int) -> String { id < pieces.count ? pieces[id] : "<unused:\(id)>" }
private let match = TokenMatch(count: 12, piece: piece, isSpecial: { $0 <= 2 })

@Test func emptyTextResolvesByLogprob() {
    //              unk   <s>   </s>  ▁the  E9    9C    B2    ▁cat  the   u9    u10   u11
    let lp: [Float] = [-9, -9.5, -3.0, -1.0, -2.2, -4.0, -1.534, -2.0, -5.0, -1.9, -7.0, -8.0]
    #expect(match.resolve(TokenLogprob(text: "", logprob: -1.534), localLogProbs: lp) == 6)     // a byte piece
    #expect(match.resolve(TokenLogprob(text: "", logprob: -1.9), localLogProbs: lp) == 9)       // an unused id
    #expect(match.resolve(TokenLogprob(text: "", logprob: -3.0), localLogProbs: lp) == 2)       // a control token
    #expect(match.resolve(TokenLogprob(text: " the", logprob: -1.0), localLogProbs: lp) == 3)
    #expect(match.resolve(TokenLogprob(text: "the", logprob: -5.0), localLogProbs: lp) == 8)
    #expect(match.resolve(TokenLogprob(text: "<0xE9>", logprob: -2.2), localLogProbs: lp) == 4) // llama.cpp's spelling
    #expect(match.resolve(TokenLogprob(text: " dog", logprob: -1.0), localLogProbs: lp) == nil)
    // An id wins over any text; no log-prob: the most likely candidate.
    #expect(match.resolve(TokenLogprob(text: "", logprob: -1.534, id: 7), localLogProbs: lp) == 7)
    #expect(match.resolve(TokenLogprob(text: "", logprob: nil), localLogProbs: lp) == 6)
}

@Test func tokenIdTexts() {
    #expect(TokenText.tokenId(inText: "token_id:42") == 42)
    #expect(TokenText.tokenId(inText: "token_id:-1") == nil)
    #expect(TokenText.tokenId(inText: "42") == nil)
    #expect(TokenText.tokenIdText(7) == "token_id:7")
}
