// Normalizer.swift — SentencePiece text normalization, step for step as the library's normalizer.cc.
//
// Raw text → the string the segmenter sees:
//   1. cut the input into "prefixes", each one of
//        a user-defined symbol (longest match; never normalized),
//        the longest rule of the precompiled charsmap (e.g. NFKC "ﬁ" → "fi", U+3000 → " ", controls → ""),
//        one UTF-8 character (a malformed byte becomes U+FFFD, consuming one byte);
//   2. remove_extra_whitespaces: drop leading spaces, squeeze runs of spaces, drop trailing spaces;
//   3. add_dummy_prefix: put "▁" in front (or at the end when treat_whitespace_as_suffix);
//   4. escape_whitespaces: every " " becomes "▁" (U+2581).
//
// Example (identity rules, ERNIE's flags: no dummy prefix, whitespace kept): "a  b" → "a▁▁b".
// Example (nmt_nfkc, defaults): "  Ｈｅｌｌｏ   world " → "▁Hello▁world".
//
// Alongside, `normToOrig[i]` is the byte offset in the input that normalized byte i came from
// (one extra entry at the end), the library's alignment used for piece surfaces.

/// The normalizer of one model (`normalizer_spec` + `trainer_spec.treat_whitespace_as_suffix`).
public struct SentencePieceNormalizer: Sendable {
    public let addDummyPrefix: Bool
    public let removeExtraWhitespaces: Bool
    public let escapeWhitespaces: Bool
    public let treatWhitespaceAsSuffix: Bool
    /// nil for the identity normalizer.
    public let charsMap: PrecompiledCharsMap?
    /// User-defined symbols pass through untouched (the library's PrefixMatcher).
    let userDefined: ByteTrie?

    /// - Throws: `SentencePieceError.unsupportedNormalizer` for a named rule set without its compiled
    ///   charsmap: the library would silently skip normalization, which is never what the model was trained with.
    init(spec: SentencePieceModel.NormalizerSpec, treatWhitespaceAsSuffix: Bool, userDefined: ByteTrie?,
         file: String, field: String) throws {
        addDummyPrefix = spec.addDummyPrefix
        removeExtraWhitespaces = spec.removeExtraWhitespaces
        escapeWhitespaces = spec.escapeWhitespaces
        self.treatWhitespaceAsSuffix = treatWhitespaceAsSuffix
        self.userDefined = userDefined
        if spec.precompiledCharsmap.isEmpty {
            let name = spec.name
            guard name.isEmpty || name == "identity" else {
                let reason = spec.normalizationRuleTSV.isEmpty
                    ? "the model has no precompiled_charsmap for it"
                    : "a user-defined rule TSV without a precompiled_charsmap cannot be applied (rules must be compiled by spm_train)"
                throw SentencePieceError.unsupportedNormalizer(file: file, name: name, reason: reason)
            }
            charsMap = nil
        } else {
            charsMap = try PrecompiledCharsMap(blob: spec.precompiledCharsmap, file: file, field: "\(field).precompiled_charsmap")
        }
    }

    /// Normalizes `input` into `normalized` (cleared first). When `normToOrig` is non-nil it receives
    /// `normalized.count + 1` input offsets.
    func normalize(_ input: UnsafeBufferPointer<UInt8>, into normalized: inout [UInt8], normToOrig: inout [Int32]?) {
        normalized.removeAll(keepingCapacity: true)
        normToOrig?.removeAll(keepingCapacity: true)
        let n = input.count
        guard n > 0 else { return }
        normalized.reserveCapacity(n + n / 2 + 3)

        if let map = charsMap {
            map.replacements.withUnsafeBufferPointer { rep in
                SentencePieceUTF8.replacement.withUnsafeBufferPointer { fffd in
                    run(input, normalized: &normalized, normToOrig: &normToOrig) { pos in
                        if let ud = userDefined {
                            let len = ud.longestPrefix(input, from: pos, to: n)
                            if len > 0 { return (input, pos, pos + len, len) }
                        }
                        if let m = map.longestMatch(input, from: pos, to: n) {
                            return (rep, m.replacement.lowerBound, m.replacement.upperBound, m.length)
                        }
                        if let len = SentencePieceUTF8.validLength(input, pos, n) { return (input, pos, pos + len, len) }
                        return (fffd, 0, 3, 1)
                    }
                }
            }
        } else {
            SentencePieceUTF8.replacement.withUnsafeBufferPointer { fffd in
                run(input, normalized: &normalized, normToOrig: &normToOrig) { pos in
                    if let ud = userDefined {
                        let len = ud.longestPrefix(input, from: pos, to: n)
                        if len > 0 { return (input, pos, pos + len, len) }
                    }
                    if let len = SentencePieceUTF8.validLength(input, pos, n) { return (input, pos, pos + len, len) }
                    return (fffd, 0, 3, 1)
                }
            }
        }
    }

    /// The normalization loop; `prefix(pos)` returns the replacement for the input at `pos` as
    /// (buffer, start, end, input bytes consumed).
    @inline(__always)
    private func run(_ input: UnsafeBufferPointer<UInt8>, normalized: inout [UInt8], normToOrig: inout [Int32]?,
                     prefix: (Int) -> (UnsafeBufferPointer<UInt8>, Int, Int, Int)) {
        let n = input.count
        var pos = 0
        var consumed = 0
        let recording = normToOrig != nil
        var offsets = normToOrig ?? []
        defer { if recording { normToOrig = offsets } }

        // Leading spaces (after normalization) are dropped.
        if removeExtraWhitespaces {
            while pos < n {
                let (buf, s, e, len) = prefix(pos)
                guard e - s == 1 && buf[s] == 0x20 else { break }
                pos += len
                consumed += len
            }
            if pos == n { return }
        }

        @inline(__always) func addWhitespace() {
            if escapeWhitespaces {
                normalized.append(contentsOf: SentencePieceUTF8.spaceSymbol)
                if recording { offsets.append(Int32(consumed)); offsets.append(Int32(consumed)); offsets.append(Int32(consumed)) }
            } else {
                normalized.append(0x20)
                if recording { offsets.append(Int32(consumed)) }
            }
        }

        if !treatWhitespaceAsSuffix && addDummyPrefix { addWhitespace() }

        var isPrevSpace = removeExtraWhitespaces
        while pos < n {
            let (buf, start, end, len) = prefix(pos)
            var s = start
            // Spaces right after a space are squeezed out (remove_extra_whitespaces).
            while isPrevSpace && s < end && buf[s] == 0x20 { s += 1 }
            if s < end {
                for k in s..<end {
                    let b = buf[k]
                    if escapeWhitespaces && b == 0x20 {
                        normalized.append(0xE2); normalized.append(0x96); normalized.append(0x81)
                        if recording { offsets.append(Int32(consumed)); offsets.append(Int32(consumed)); offsets.append(Int32(consumed)) }
                    } else {
                        normalized.append(b)
                        if recording { offsets.append(Int32(consumed)) }
                    }
                }
                isPrevSpace = buf[end - 1] == 0x20
            }
            consumed += len
            pos += len
            if !removeExtraWhitespaces { isPrevSpace = false }
        }

        // Trailing spaces are dropped.
        if removeExtraWhitespaces {
            let space: [UInt8] = escapeWhitespaces ? SentencePieceUTF8.spaceSymbol : [0x20]
            while normalized.count >= space.count && Array(normalized.suffix(space.count)) == space {
                let length = normalized.count - space.count
                if recording { consumed = Int(offsets[length]); offsets.removeLast(offsets.count - length) }
                normalized.removeLast(space.count)
            }
        }

        if treatWhitespaceAsSuffix && addDummyPrefix { addWhitespace() }
        if recording { offsets.append(Int32(consumed)) }
    }

    /// Normalizes a string (convenience for inspection and tests): the normalized text and, per
    /// normalized byte, the input byte offset it came from.
    public func normalize(_ text: String) -> (normalized: String, normToOrig: [Int]) {
        var t = text
        var out: [UInt8] = []
        var offsets: [Int32]? = []
        t.withUTF8 { normalize($0, into: &out, normToOrig: &offsets) }
        return (String(decoding: out, as: UTF8.self), (offsets ?? []).map(Int.init))
    }
}
