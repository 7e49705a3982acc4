// The `--help` discussions of the commands of the models before transformers: ngram, corpus, nnlm, rnn, embed,
// seq2seq, classify (see CommandHelp.swift).

extension CommandHelp {
    public static let classify = """
    Each label is tokenized as the continuation of the prompt (prompt + label, so the word boundary is the \
    model's own) and its tokens are scored after the prompt. --chat puts the prompt in the chat template as a \
    user turn and scores each label as the start of the assistant's answer. The labels are ranked by their total \
    log P, so a label the tokenizer cuts into fewer pieces pays fewer factors: on the tiny models' Chinese, whole \
    phrases are single tokens, and the shortest label often wins for that alone (lesson 2 shows it; compare the \
    mean-per-token column).

    Examples:
      lmlab classify "The dog says" --labels " woof, meow, quack" \\
          --model tiny-ernie
      lmlab classify "What is the capital of France?" \\
          --labels "Paris,London,Cairo" --chat --model tiny-ernie-instruct
    """

    public static let corpusStats = """
    --json prints CorpusStatistics, frequencies by rank included.

    Examples:
      lmlab corpus stats stories-en
      lmlab corpus stats stories-zh --top 30
      lmlab corpus stats luna-en --json
    """

    public static let corpusList = """
    --json prints [{name, language, train, heldout, tokenization}].
    """

    public static let embedTrain = """
    --json prints {config, vocabulary, training, analogies}.
    """

    public static let embedNeighbors = """
    --json prints {word: [{word, cosine}]}.
    """

    public static let embedMap = """
    --json prints {explained, points: [{word, x, y}]}.
    """

    public static let embed = """
    Skip-gram or CBOW with negative sampling, frequent-word subsampling, a reduced window and a linearly \
    decaying learning rate, trained by hand-written SGD on 2 threads (Hogwild). Ctrl-C stops training and \
    keeps (and with --save, saves) what was trained so far. Without --model, neighbors, analogy and map train first \
    (seconds, every time); --model word2vec-stories-en (or -zh) reads the vectors the lab ships.

    Examples:
      lmlab embed train --corpus stories-en --epochs 20 --save w2v.safetensors
      lmlab embed neighbors cat france --model w2v.safetensors
      lmlab embed analogy dog woof cat --model word2vec-stories-en
      lmlab embed map --words cat,dog,cow,paris,rome,france,italy --json
    """

    public static let embedAnalogy = """
    Without a, b, c: answers every question of the analogy file (--analogies, or \
    Lessons/data/analogies.<language>.txt) and prints the accuracy per section.

    --json prints [{word, cosine}], or the accuracy report without a, b, c.
    """

    public static let ngram = """
    The model is counted from the corpus on every call (under a second; see `ngram train`). Smoothing: \
    mle, laplace (add-1), addk (--k), kn (interpolated Kneser–Ney, --discount; nltk's default is 0.1).

    Examples:
      lmlab ngram train --n 3 --smoothing kn --corpus stories-en
      lmlab ngram prob "the dog says woof ." --n 3 --smoothing mle
      lmlab ngram perplexity --corpus stories-zh --max-n 5
      lmlab ngram sparsity --corpus stories-en
      lmlab ngram generate --n 3 --seed 7 --count 3
    """

    public static let nnlmOrder = """
    Shows both bags of words and ln P(A), ln P(B) under the unigram model of the corpus (a bag-of-words \
    model), under --model and under every --compare.
    Examples:
      lmlab nnlm order "the father gave luna a red kite ." \\
          "a red kite gave the father luna ."
      lmlab nnlm order "luna sang a song ." "a song sang luna ." \\
          --compare rnn-stories-en
    """

    public static let nnlmWindow = """
    Prints each model's next word after A and after B, and how far the two distributions are apart.
    Examples:
      lmlab nnlm window "on sunday , luna went to the park with" \\
          "on sunday , tom went to the park with" --compare rnn-stories-en
    """

    public static let nnlmProb = """
    Examples:
      lmlab nnlm prob "later the old uncle flew a kite with luna ."
      lmlab nnlm prob "the dog says woof ." --model Models/nnlm-stories-en --json
    """

    public static let rnnParallel = """
    Times the recurrence of Models/gru-stories-en (or --model) over --tokens tokens, one step after another, \
    and one causal self-attention of the same hidden size over the same tokens (NeuralLMs/SequentialVsParallel.swift).
    Examples:
      lmlab rnn parallel
      lmlab rnn parallel --tokens 512 --model rnn-stories-en
    """

    public static let rnnVanishing = """
    Loads Models/rnn-stories-en and Models/gru-stories-en (`lmlab train rnn`, `lmlab train gru`).

    --json prints the data of the line plot.

    Examples:
      lmlab rnn vanishing
      lmlab rnn vanishing --max-lag 30 --json
    """

    public static let seq2seqTranslate = """
    Examples:
      lmlab seq2seq translate "three thousand four hundred five"
      lmlab seq2seq translate "two hundred seventeen" --show-alignment
    """

    public static let seq2seqLengths = """
    Translates the 500 held-out numbers with Models/seq2seq-numbers and its twin without attention, \
    Models/seq2seq-numbers-plain (`lmlab train seq2seq --no-attention`).
    """
}
