// SentencePieceVocabulary.swift — the lookup structures built from a model's pieces, with the
// library's invariants (model_interface.cc, InitializePieces).
//
// The library keeps two maps: `pieces_` for pieces the segmenter may produce (NORMAL, USER_DEFINED,
// UNUSED) and `reserved_id_map_` for the rest (UNKNOWN, CONTROL, BYTE). PieceToId(s) looks in the reserved
// map first, then in `pieces_`, and answers the unk id for anything else. We keep the same split.
// One rule the library does not have: a piece is at most `TokenLimit.maxBytes` long, so matching the text against
// the pieces (the normalizer, the segmenters) costs at most that many trie steps a byte.

import LabCore

/// Piece tables of one model: types and scores by id, tries from piece bytes to ids.
public struct SentencePieceVocabulary: Sendable {
    public typealias PieceType = SentencePieceModel.PieceType

    public let pieces: [String]
    public let types: [PieceType]
    public let scores: [Float]
    /// The UTF-8 bytes of each piece.
    let pieceBytes: [[UInt8]]
    /// `pieces_`: NORMAL, USER_DEFINED and UNUSED pieces.
    let segmentable: ByteTrie
    /// `reserved_id_map_`: UNKNOWN, CONTROL and BYTE pieces.
    let reserved: ByteTrie
    /// User-defined pieces only (the library's PrefixMatcher); nil when there are none.
    let userDefined: ByteTrie?
    /// For a `segmentable` id, what PieceToId answers for its text (a reserved piece with the same text wins).
    let resolvedId: [Int32]
    /// PieceToId("<0xXX>") for each byte.
    let byteIds: [Int32]
    public let unkId: Int
    public let byteFallback: Bool

    init(model: SentencePieceModel, file: String) throws {
        let n = model.pieces.count
        var pieces = [String](), types = [PieceType](), scores = [Float](), bytes = [[UInt8]]()
        pieces.reserveCapacity(n); types.reserveCapacity(n); scores.reserveCapacity(n); bytes.reserveCapacity(n)
        var segmentable = ByteTrie(expectedNodes: n * 4)
        var reserved = ByteTrie(expectedNodes: 1024)
        var userDefined = ByteTrie(expectedNodes: 64)
        var hasUserDefined = false
        var seenSegmentable = Set<String>(), seenReserved = Set<String>()
        var unk = -1
        var bytesFound = [Bool](repeating: false, count: 256)
        let byteFallback = model.trainerSpec.byteFallback

        func defined(_ piece: String, _ field: String) -> SentencePieceError {
            .invalidModel(file: file, field: field, reason: "piece \(VisibleText.quoted(piece)) is already defined")
        }
        for (i, p) in model.pieces.enumerated() {
            let field = "ModelProto.pieces[\(i)]"
            guard !p.piece.isEmpty else {
                throw SentencePieceError.invalidModel(file: file, field: "\(field).piece", reason: "piece must not be empty")
            }
            guard p.piece.utf8.count <= TokenLimit.maxBytes else {
                throw SentencePieceError.pieceTooLong(file: file, index: i, piece: p.piece, bytes: p.piece.utf8.count)
            }
            let b = Array(p.piece.utf8)
            pieces.append(p.piece); types.append(p.type); scores.append(p.score); bytes.append(b)
            switch p.type {
            case .normal, .userDefined, .unused:
                guard seenSegmentable.insert(p.piece).inserted else { throw defined(p.piece, field) }
                segmentable.insert(b, value: Int32(i))
                if p.type == .userDefined { userDefined.insert(b, value: Int32(i)); hasUserDefined = true }
            case .unknown, .control, .byte:
                guard seenReserved.insert(p.piece).inserted else { throw defined(p.piece, field) }
                reserved.insert(b, value: Int32(i))
            }
            if p.type == .unknown {
                guard unk < 0 else {
                    throw SentencePieceError.invalidModel(file: file, field: "\(field).type", reason: "a second UNKNOWN piece (the first is id \(unk))")
                }
                unk = i
            }
            if p.type == .byte {
                guard byteFallback else {
                    throw SentencePieceError.invalidModel(file: file, field: field,
                                                          reason: "byte piece \(p.piece) found although trainer_spec.byte_fallback is false")
                }
                guard let v = Self.byteValue(of: p.piece) else {
                    throw SentencePieceError.invalidModel(file: file, field: "\(field).piece", reason: "byte piece \(p.piece) is not of the form <0xXX>")
                }
                bytesFound[Int(v)] = true
            }
        }
        guard unk >= 0 else {
            throw SentencePieceError.invalidModel(file: file, field: "ModelProto.pieces", reason: "no piece has type UNKNOWN")
        }
        if byteFallback, let missing = bytesFound.firstIndex(of: false) {
            throw SentencePieceError.invalidModel(file: file, field: "ModelProto.pieces",
                                                  reason: "byte_fallback is true but byte piece \(Self.bytePiece(UInt8(missing))) is missing")
        }

        var resolved = [Int32](repeating: -1, count: n)
        for i in 0..<n where types[i] == .normal || types[i] == .userDefined || types[i] == .unused {
            let r = bytes[i].withUnsafeBufferPointer { reserved.exact($0, 0..<$0.count) }
            resolved[i] = r >= 0 ? r : Int32(i)
        }
        var byteIds = [Int32](repeating: Int32(unk), count: 256)
        for v in 0..<256 {
            let text = Array(Self.bytePiece(UInt8(v)).utf8)
            let r = text.withUnsafeBufferPointer { reserved.exact($0, 0..<$0.count) }
            let s = text.withUnsafeBufferPointer { segmentable.exact($0, 0..<$0.count) }
            byteIds[v] = r >= 0 ? r : (s >= 0 ? s : Int32(unk))
        }

        self.pieces = pieces
        self.types = types
        self.scores = scores
        self.pieceBytes = bytes
        self.segmentable = segmentable
        self.reserved = reserved
        self.userDefined = hasUserDefined ? userDefined : nil
        self.resolvedId = resolved
        self.byteIds = byteIds
        self.unkId = unk
        self.byteFallback = byteFallback
    }

    public var count: Int { pieces.count }

    /// "<0x41>" for 0x41, the library's ByteToPiece.
    public static func bytePiece(_ b: UInt8) -> String {
        let hex = Array("0123456789ABCDEF")
        return "<0x\(hex[Int(b >> 4)])\(hex[Int(b & 15)])>"
    }

    /// 0x41 for "<0x41>" (upper-case hex only, as the library), else nil.
    public static func byteValue(of piece: String) -> UInt8? {
        let u = Array(piece.utf8)
        guard u.count == 6, u[0] == 0x3C, u[1] == 0x30, u[2] == 0x78, u[5] == 0x3E else { return nil }
        func hex(_ c: UInt8) -> UInt8? {
            switch c {
            case 0x30...0x39: return c - 0x30
            case 0x41...0x46: return c - 0x41 + 10
            default: return nil
            }
        }
        guard let hi = hex(u[3]), let lo = hex(u[4]) else { return nil }
        return hi << 4 | lo
    }

    /// The library's PieceToId over a byte range: reserved pieces first, then segmentable ones, else unk.
    @inline(__always)
    func id(of bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int32 {
        let r = reserved.exact(bytes, range)
        if r >= 0 { return r }
        let s = segmentable.exact(bytes, range)
        return s >= 0 ? s : Int32(unkId)
    }

    /// PieceToId for a string.
    public func id(of piece: String) -> Int {
        var p = piece
        return p.withUTF8 { Int(id(of: $0, 0..<$0.count)) }
    }
}
