// SafetensorsError — every way a safetensors file (or a sharded checkpoint's index) can be unusable.
//
// Each case names the file; the message says what is wrong and ends in a HINT with what to do.
// A damaged download is by far the most common cause, so most hints say to fetch the file again.

import LabCore

/// A safetensors file or checkpoint index that cannot be read. `description` names the file and the fix.
public enum SafetensorsError: Error, Equatable, CustomStringConvertible, Sendable {
    case cannotOpen(file: String, reason: String)
    /// A FIFO, a device, a folder… stands where the file goes (`found` says which: "a FIFO (named pipe)").
    case notRegularFile(file: String, found: String)
    /// Fewer than the 8 bytes that hold the header length.
    case fileTooShort(file: String, size: Int)
    /// The declared header length exceeds `SafetensorsFile.maxHeaderSize`.
    case headerTooLarge(file: String, declared: UInt64, limit: Int)
    /// The declared header runs past the end of the file.
    case headerBeyondFile(file: String, declared: UInt64, fileSize: Int)
    /// The header is not valid JSON, or not an object.
    case malformedHeader(file: String, reason: String)
    /// `__metadata__` is not an object of strings.
    case badMetadata(file: String, reason: String)
    /// A tensor name occurs twice in the header.
    case duplicateTensor(file: String, tensor: String)
    /// A tensor entry lacks `dtype`, `shape` or `data_offsets`.
    case missingField(file: String, tensor: String, field: String)
    /// A tensor field has the wrong form (e.g. a negative extent, offsets that are not two integers).
    case badField(file: String, tensor: String, field: String, reason: String)
    case unknownDType(file: String, tensor: String, dtype: String)
    /// `data_offsets` [begin, end] with begin > end.
    case offsetsReversed(file: String, tensor: String, begin: Int, end: Int)
    /// `data_offsets` end beyond the data section.
    case offsetsOutOfRange(file: String, tensor: String, end: Int, dataSize: Int)
    /// Two tensors share bytes.
    case overlappingTensors(file: String, tensor: String, other: String)
    /// end − begin ≠ element size × product(shape).
    case sizeMismatch(file: String, tensor: String, expected: Int, actual: Int)
    /// A name the checkpoint does not contain.
    case tensorNotFound(file: String, tensor: String)
    /// The caller asked for an element type the tensor does not have.
    case wrongDType(file: String, tensor: String, dtype: SafetensorsDType, wanted: String)
    /// The index (`model.safetensors.index.json`) is unusable.
    case badIndex(file: String, reason: String)
    /// The index maps a tensor to a shard that does not hold it, or a shard holds a tensor the index does not list.
    case indexMismatch(file: String, tensor: String, reason: String)
    /// A tensor could not be written.
    case cannotWrite(file: String, reason: String)
    /// A tensor handed to `SafetensorsWriter` is inconsistent (not yet in any file).
    case invalidTensor(tensor: String, reason: String)

    /// The file the error is about.
    public var file: String {
        switch self {
        case .cannotOpen(let f, _), .notRegularFile(let f, _), .fileTooShort(let f, _), .headerTooLarge(let f, _, _),
             .headerBeyondFile(let f, _, _), .malformedHeader(let f, _), .badMetadata(let f, _),
             .duplicateTensor(let f, _), .missingField(let f, _, _), .badField(let f, _, _, _),
             .unknownDType(let f, _, _), .offsetsReversed(let f, _, _, _), .offsetsOutOfRange(let f, _, _, _),
             .overlappingTensors(let f, _, _), .sizeMismatch(let f, _, _, _), .tensorNotFound(let f, _),
             .wrongDType(let f, _, _, _), .badIndex(let f, _), .indexMismatch(let f, _, _), .cannotWrite(let f, _):
            return f
        case .invalidTensor:
            return "(safetensors writer)"
        }
    }

    private static let redownload = "the file is damaged or not a safetensors file; download it again"

    /// The message, with any control character a stranger's file put in a name shown escaped.
    public var description: String { VisibleText.escapingControls(message, keepingNewlines: true) }

    private var message: String {
        // A name from the file's own header, quoted short: a 1 MB tensor name is not the whole message.
        func q(_ name: String) -> String { VisibleText.quoted(name) }
        switch self {
        case .cannotOpen(let file, let reason):
            return "\(file): cannot open (\(reason)). HINT: check the path and permissions."
        case .notRegularFile(let file, let found):
            return "\(file): is \(found), not a regular file. HINT: put the real checkpoint there (a plain file: "
                + "download the model again, or copy the file in)."
        case .fileTooShort(let file, let size):
            return "\(file): \(size) bytes, fewer than the 8-byte header length of a safetensors file. "
                + "HINT: \(Self.redownload)."
        case .headerTooLarge(let file, let declared, let limit):
            return "\(file): declares a \(declared)-byte JSON header, above the \(limit)-byte limit. "
                + "HINT: \(Self.redownload)."
        case .headerBeyondFile(let file, let declared, let fileSize):
            return "\(file): declares a \(declared)-byte header but only \(max(0, fileSize - 8)) bytes follow the "
                + "8-byte length field (file size \(fileSize)). HINT: the download is truncated; get it again."
        case .malformedHeader(let file, let reason):
            return "\(file): the JSON header is malformed (\(reason)). HINT: \(Self.redownload)."
        case .badMetadata(let file, let reason):
            return "\(file): \"__metadata__\" \(reason); it must map strings to strings. HINT: fix the writer."
        case .duplicateTensor(let file, let tensor):
            return "\(file): tensor \(q(tensor)) is listed twice in the header. HINT: the writer is broken; "
                + "re-export the checkpoint."
        case .missingField(let file, let tensor, let field):
            return "\(file): tensor \(q(tensor)) has no \(q(field)). HINT: every entry needs dtype, shape and "
                + "data_offsets; \(Self.redownload)."
        case .badField(let file, let tensor, let field, let reason):
            return "\(file): tensor \(q(tensor)) field \(q(field)) \(reason). HINT: \(Self.redownload)."
        case .unknownDType(let file, let tensor, let dtype):
            let known = SafetensorsDType.allCases.map(\.rawValue).joined(separator: ", ")
            return "\(file): tensor \(q(tensor)) has dtype \(q(dtype)), which this reader does not know "
                + "(known: \(known)). HINT: convert the checkpoint to bf16 or f32."
        case .offsetsReversed(let file, let tensor, let begin, let end):
            return "\(file): tensor \(q(tensor)) data_offsets [\(begin), \(end)] begin after they end. "
                + "HINT: \(Self.redownload)."
        case .offsetsOutOfRange(let file, let tensor, let end, let dataSize):
            return "\(file): tensor \(q(tensor)) ends at byte \(end) of the data section, which has only "
                + "\(dataSize) bytes. HINT: the download is truncated; get it again."
        case .overlappingTensors(let file, let tensor, let other):
            return "\(file): tensors \(q(other)) and \(q(tensor)) share bytes. HINT: \(Self.redownload)."
        case .sizeMismatch(let file, let tensor, let expected, let actual):
            return "\(file): tensor \(q(tensor)) spans \(actual) bytes but its dtype and shape need \(expected). "
                + "HINT: \(Self.redownload)."
        case .tensorNotFound(let file, let tensor):
            return "\(file): no tensor named \(q(tensor)). HINT: list the names with `lmlab inspect`, "
                + "or check that the checkpoint matches the model."
        case .wrongDType(let file, let tensor, let dtype, let wanted):
            return "\(file): tensor \(q(tensor)) is \(dtype.rawValue), not \(wanted). HINT: read it with the "
                + "accessor for \(dtype.rawValue)."
        case .badIndex(let file, let reason):
            return "\(file): \(reason). HINT: the index must be {\"weight_map\": {tensor: shard file}}; "
                + "download it again."
        case .indexMismatch(let file, let tensor, let reason):
            return "\(file): tensor \(q(tensor)): \(reason). HINT: the index and the shards come from different "
                + "downloads; get them again together."
        case .cannotWrite(let file, let reason):
            return "\(file): cannot write (\(reason)). HINT: check that the directory exists and is writable."
        case .invalidTensor(let tensor, let reason):
            return "safetensors writer: tensor \(q(tensor)): \(reason). HINT: fix the caller's name, dtype or shape."
        }
    }
}
