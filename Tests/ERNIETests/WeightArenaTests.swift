// WeightArena: a model's converted matrices are carved, in the order they are converted, from 2 MB aligned slabs —
// 64-byte aligned and back to back, a matrix larger than a slab in a slab of its own, the bytes valid as long as a
// matrix holds them (after the arena itself is gone) — and a converting load puts every matrix there.
import Foundation
import Testing
import LabCore
@testable import ERNIE

@Suite struct WeightArenaTests {
    private func address(_ p: UnsafeRawPointer) -> Int { Int(bitPattern: p) }

    @Test func piecesFollowEachOther64ByteAlignedInHugePageSlabs() {
        var arena: WeightArena? = WeightArena()
        let sizes = [576 * 3, 100, 1, 2 << 20, WeightArena.slabBytes + 5, 4096, WeightArena.slabBytes - (2 << 20)]
        let buffers = sizes.map { WeightBuffer(byteCount: $0, in: arena) }
        let huge = 1 << 21
        #expect(address(buffers[0].bytes) % huge == 0, "a slab starts on a 2 MB boundary")
        for (i, b) in buffers.enumerated() {
            #expect(address(b.bytes) % 64 == 0, "piece \(i) is 64-byte aligned")
            b.bytes.initializeMemory(as: UInt8.self, repeating: UInt8(i), count: b.byteCount)
        }
        for i in [1, 2, 3] {                          // back to back: at most the padding to 64 bytes between
            let end = address(buffers[i - 1].bytes) + sizes[i - 1]
            #expect(address(buffers[i].bytes) >= end && address(buffers[i].bytes) < end + 64, "piece \(i) follows \(i - 1)")
        }
        #expect(address(buffers[4].bytes) % huge == 0, "a piece larger than a slab has a slab of its own")
        let end3 = address(buffers[3].bytes) + sizes[3]
        #expect(address(buffers[5].bytes) >= end3 && address(buffers[5].bytes) < end3 + 64,
                "the piece after it goes on in the earlier slab")
        #expect(address(buffers[6].bytes) % huge == 0, "a piece that does not fit the slab's rest starts a new slab")
        arena = nil                                   // the slabs live on in their pieces
        for (i, b) in buffers.enumerated() {
            let bytes = UnsafeRawBufferPointer(start: b.bytes, count: b.byteCount)
            #expect(bytes.allSatisfy { $0 == UInt8(i) }, "piece \(i) keeps its bytes after the arena is gone")
        }
    }

    @Test(arguments: [WeightPrecision.int4, .int8, .bf16])     // the fixture is f32: .f32 keeps it mapped
    func aConvertingLoadCarvesEveryMatrixInDecodeOrder(_ precision: WeightPrecision) throws {
        let model = try ErnieModel(folder: Fixtures.folder("gqa-tied"), precision: precision)
        let weights = model.weights
        #expect(address(weights.embedding.base) % (1 << 21) == 0, "the first matrix starts its slab")
        // Within a layer: q, k, v, o, gate, up, down one after the other, as decode reads them.
        for (i, layer) in weights.layers.enumerated() {
            guard case .dense(let mlp) = layer.feedForward else { continue }
            let order = [layer.q, layer.k, layer.v, layer.o, mlp.gate, mlp.up, mlp.down]
            for (a, b) in zip(order, order.dropFirst()) {
                let end = address(a.base) + a.owner!.byteCount
                #expect(address(b.base) >= end && address(b.base) < end + 64, "layer \(i): \(b.name) follows \(a.name)")
            }
        }
    }
}
