// SafetensorsDType — the element types a safetensors file can declare, with their byte sizes.
//
// Names and sizes follow the format's specification (huggingface/safetensors, README "Format").
// The 8-bit float formats (F8_E4M3, F8_E5M2, …) are not listed: a file that uses them fails with
// `SafetensorsError.unknownDType`, naming the dtype, rather than being misread.

/// An element type of a safetensors tensor, spelled as in the header ("BF16", "F32", …).
public enum SafetensorsDType: String, CaseIterable, Sendable {
    case bool = "BOOL"
    case u8 = "U8", i8 = "I8"
    case i16 = "I16", u16 = "U16", f16 = "F16", bf16 = "BF16"
    case i32 = "I32", u32 = "U32", f32 = "F32"
    case f64 = "F64", i64 = "I64", u64 = "U64"

    /// Bytes per element.
    public var size: Int {
        switch self {
        case .bool, .u8, .i8: return 1
        case .i16, .u16, .f16, .bf16: return 2
        case .i32, .u32, .f32: return 4
        case .f64, .i64, .u64: return 8
        }
    }

    /// True for the types `floats()` widens to Float exactly (F16, BF16, F32) or rounds (F64).
    public var isFloatingPoint: Bool { self == .f16 || self == .bf16 || self == .f32 || self == .f64 }

    /// The order the Python library writes tensors in: larger alignment first (its Rust enum's order, reversed),
    /// then by name. Writing in this order makes every tensor start at a multiple of its element size.
    var writeRank: Int {
        switch self {
        case .u64: return 0
        case .i64: return 1
        case .f64: return 2
        case .f32: return 3
        case .u32: return 4
        case .i32: return 5
        case .bf16: return 6
        case .f16: return 7
        case .u16: return 8
        case .i16: return 9
        case .i8: return 10
        case .u8: return 11
        case .bool: return 12
        }
    }
}
