// TokenLimit — the one bound on a token's text, for every token a stranger's model folder can bring: the pieces of
// tokenizer.model (SentencePieceVocabulary refuses a longer one, naming the file and the piece's index) and the added
// and special tokens of the json files (ErnieTokenizer refuses those, naming the file and the id).
//
// Why a bound: matching walks a byte trie from each position of the text as far as the text follows some token, so
// a token of L bytes can cost L steps for every byte of text. Without one, a 40,000-byte added token made a
// 40,000-byte text take 10 s, and a user-defined piece of 40,000 bytes took 40 s through the normalizer and the
// BPE segmenter (1 MB each: about 90 minutes). With it the worst text costs at most 1,024 trie steps a byte: linear
// in the text. Real tokens are far shorter: ERNIE-4.5's <|begin_of_sentence|> has 21 bytes, Hugging Face's reserved
// and tool tokens a few dozen, and spm_train's pieces at most 16 characters unless told otherwise.

/// Bounds on the text of one token.
public enum TokenLimit {
    /// The longest token text, in UTF-8 bytes, a tokenizer.model piece or an added token may have.
    public static let maxBytes = 1024
}
