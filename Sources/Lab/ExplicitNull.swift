// ExplicitNull — an optional that JSON writes as `null` when it has no value. Synthesized Encodable leaves a nil
// optional's key out; a `--json` contract that promises the key (ProbJSON's "logprob" of the first token,
// "perplexity" when nothing was scored) wraps the property instead of hand-writing the whole encode(to:).

/// `@ExplicitNull var perplexity: Double?` encodes as `"perplexity": null` when nil, as the value otherwise.
@propertyWrapper
public struct ExplicitNull<Value: Encodable>: Encodable {
    public var wrappedValue: Value?

    public init(wrappedValue: Value?) { self.wrappedValue = wrappedValue }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        if let value = wrappedValue { try c.encode(value) } else { try c.encodeNil() }
    }
}

extension ExplicitNull: Equatable where Value: Equatable {}
extension ExplicitNull: Sendable where Value: Sendable {}
