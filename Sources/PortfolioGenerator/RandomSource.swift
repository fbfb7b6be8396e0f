/// The generator's only source of randomness: xoshiro256** seeded through SplitMix64.
///
/// Foundation's and the standard library's random numbers differ between platforms and runs;
/// the fixture, tests and benchmarks need the same bytes from the same seed everywhere. Every
/// distribution below is built from integer arithmetic and IEEE `+ - * /` only (no `log`, `exp`
/// or `cos` from the platform's libm, whose last bits differ between systems).
struct RandomSource: Sendable {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    /// A stream for one purpose of one customer: the portfolio seed, the customer's index and
    /// the stream number are mixed, so a customer's history never depends on the customers
    /// before it (they could be generated in any order, or in parallel).
    init(seed: UInt64, index: Int, stream: UInt64) {
        var mixer = seed ^ (UInt64(truncatingIfNeeded: index) &* 0x9E37_79B9_7F4A_7C15) ^ (stream &* 0xD1B5_4A32_D192_ED03)
        func splitMix() -> UInt64 {
            mixer &+= 0x9E37_79B9_7F4A_7C15
            var z = mixer
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix()
        s1 = splitMix()
        s2 = splitMix()
        s3 = splitMix()
    }

    /// xoshiro256** (Blackman and Vigna, 2018).
    mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = s3 << 45 | s3 >> 19
        return result
    }

    /// Uniform in [0, 1), from the top 53 bits.
    mutating func unit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// Uniform integer in `range` (the tiny modulo bias is irrelevant for synthetic data).
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        let width = UInt64(range.upperBound - range.lowerBound + 1)
        return range.lowerBound + Int(next() % width)
    }

    mutating func chance(_ probability: Double) -> Bool {
        unit() < probability
    }

    mutating func uniform(_ low: Double, _ high: Double) -> Double {
        low + (high - low) * unit()
    }

    /// Approximately standard normal: the sum of four uniforms, centred and scaled to unit
    /// variance (Irwin-Hall). Tails stop at ±3.46, which suits business data better than
    /// a true normal's rare extremes, and it needs no libm.
    mutating func normal() -> Double {
        (unit() + unit() + unit() + unit() - 2) * 1.732_050_807_568_877_2
    }

    /// Poisson-distributed count (Knuth's product of uniforms; fine for the small means used).
    mutating func poisson(mean: Double) -> Int {
        guard mean > 0 else { return 0 }
        let limit = DeterministicMath.exp(-mean)
        var count = 0
        var product = unit()
        while product > limit, count < 1000 {
            count += 1
            product *= unit()
        }
        return count
    }

    /// Picks an index with probability proportional to its weight.
    mutating func pick(weights: [Double]) -> Int {
        let total = weights.reduce(0, +)
        var target = unit() * total
        for (index, weight) in weights.enumerated() {
            if target < weight { return index }
            target -= weight
        }
        return weights.count - 1
    }
}

/// Transcendental functions written with `+ - * /` only, so results are bit-identical on every
/// platform (the generator's output must not depend on the C library it runs on).
enum DeterministicMath {
    /// e^x by range reduction to |r| ≤ ln2/2 and a Taylor series (relative error below 1e-15).
    static func exp(_ x: Double) -> Double {
        if x > 700 { return .greatestFiniteMagnitude }
        if x < -700 { return 0 }
        let ln2 = 0.693_147_180_559_945_3
        let k = (x / ln2).rounded()
        let r = x - k * ln2
        var term = 1.0
        var sum = 1.0
        for n in 1...16 {
            term = term * r / Double(n)
            sum += term
        }
        var scale = 1.0
        var remaining = Int(k)
        while remaining > 0 {
            scale *= 2
            remaining -= 1
        }
        while remaining < 0 {
            scale *= 0.5
            remaining += 1
        }
        return sum * scale
    }
}
