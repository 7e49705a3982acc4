// EventBytes — a stream of server-sent events as the byte sequence FlyingFox writes out with chunked transfer
// encoding: each event is sent as soon as the model has produced it.

import FlyingFox
import FlyingSocks

struct EventBytes: AsyncBufferedSequence {
    typealias Element = UInt8
    let events: AsyncStream<[UInt8]>

    func makeAsyncIterator() -> Iterator { Iterator(base: events.makeAsyncIterator()) }

    struct Iterator: AsyncBufferedIteratorProtocol {
        var base: AsyncStream<[UInt8]>.Iterator
        var pending: ArraySlice<UInt8> = []

        mutating func next() async -> UInt8? {
            guard await fill() else { return nil }
            return pending.popFirst()
        }

        /// Up to `count` bytes of the events received so far; waits for the next event when none are pending.
        mutating func nextBuffer(suggested count: Int) async -> ArraySlice<UInt8>? {
            guard await fill() else { return nil }
            let out = pending.prefix(count)
            pending = pending.dropFirst(out.count)
            return out
        }

        /// False at the end of the stream.
        private mutating func fill() async -> Bool {
            while pending.isEmpty {
                guard let event = await base.next() else { return false }
                pending = event[...]
            }
            return true
        }
    }
}
