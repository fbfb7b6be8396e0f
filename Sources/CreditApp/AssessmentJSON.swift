import CreditCore
import StreamingJSON

/// An assessment's detail and its verdict written by hand: the bytes their `Codable` conformance
/// writes through `JSONEncoder` (a test holds them identical on every demo assessment and on
/// assessments with every optional figure present and absent), at a fifth of the cost. A scoring
/// run writes 100k of each. A field added to one of these types must be added here too; the
/// test fails until it is.
extension Assessment {
    /// The detail as stored: keys in declaration order, as `JSONEncoder` without options writes it.
    func detailJSON() throws -> [UInt8] {
        var json = JSONWriter(capacity: 4096)
        try write(to: &json)
        return json.bytes
    }

    func write(to json: inout JSONWriter) throws {
        json.beginObject()
        try json.member("customerId", customerId)
        try json.member("asOf", asOf)
        try json.member("modelVersion", modelVersion)
        try json.member("pd", pd)
        try json.member("score", score)
        try json.member("grade", grade)
        try json.member("uncappedGrade", uncappedGrade)
        try json.member("inDefault", inDefault)
        try json.member("suggestedLimit", suggestedLimit)
        json.key("limitStep")
        try limitStep.write(to: &json)
        try json.member("recommendation", recommendation.rawValue)
        json.key("reasons")
        json.beginArray()
        for reason in reasons {
            json.element()
            json.beginObject()
            try json.member("code", reason.code.rawValue)
            try json.member("effect", reason.effect)
            try json.member("text", reason.text)
            json.endObject()
        }
        json.endArray()
        json.key("contributions")
        json.beginArray()
        for contribution in contributions {
            json.element()
            json.beginObject()
            try json.member("component", contribution.component.rawValue)
            try json.member("value", contribution.value)
            try json.member("effect", contribution.effect)
            try json.member("missing", contribution.missing)
            try json.member("capped", contribution.capped)
            json.endObject()
        }
        json.endArray()
        try json.member("priorPD", priorPD)
        try json.member("logOdds", logOdds)
        json.key("paymentProfile")
        try paymentProfile.write(to: &json)
        json.key("sectorBenchmark")
        try sectorBenchmark.write(to: &json)
        if let financialProfile {
            json.key("financialProfile")
            try financialProfile.write(to: &json)
        }
        try json.member("exposure", exposure)
        json.key("evidence")
        try evidence.write(to: &json)
        json.endObject()
    }

    /// The verdict's JSON with its keys sorted, as `JSONEncoder` with `.sortedKeys` writes it: what
    /// the fingerprint hashes, so it must stay byte for byte what fingerprints were made of.
    func verdictJSON() throws -> [UInt8] {
        let verdict = self.verdict
        var json = JSONWriter(capacity: 512)
        json.beginObject()
        try json.member("brokenPromises", verdict.brokenPromises)
        json.key("evidence")
        try verdict.evidence.writeSorted(to: &json)
        try json.member("exposure", verdict.exposure)
        try json.member("grade", verdict.grade)
        try json.member("inDefault", verdict.inDefault)
        try json.member("limitBasis", verdict.limitBasis.rawValue)
        try json.member("modelVersion", verdict.modelVersion)
        try json.member("openDisputes", verdict.openDisputes)
        try json.member("recommendation", verdict.recommendation.rawValue)
        try json.member("suggestedLimit", verdict.suggestedLimit)
        try json.member("thinFile", verdict.thinFile)
        try json.member("uncappedGrade", verdict.uncappedGrade)
        json.endObject()
        return json.bytes
    }
}

extension JSONWriter {
    mutating func member(_ name: StaticString, _ day: Day?) throws { try member(name, day?.iso) }

    mutating func member(_ name: StaticString, _ money: Money?) throws { try member(name, money?.decimalText) }

    mutating func member(_ name: StaticString, _ grade: Grade) throws {
        key(name)
        beginObject()
        try member("code", grade.code)
        try member("rank", grade.rank)
        endObject()
    }
}

extension LimitStep {
    fileprivate func write(to json: inout JSONWriter) throws {
        json.beginObject()
        try json.member("basis", basis.rawValue)
        try json.member("unrounded", unrounded)
        try json.member("explanation", explanation)
        json.key("candidates")
        json.beginArray()
        for candidate in candidates {
            json.element()
            json.beginObject()
            try json.member("basis", candidate.basis.rawValue)
            try json.member("amount", candidate.amount)
            try json.member("detail", candidate.detail)
            json.endObject()
        }
        json.endArray()
        json.endObject()
    }
}

extension PaymentProfile {
    fileprivate func write(to json: inout JSONWriter) throws {
        json.beginObject()
        try json.member("asOf", asOf)
        try json.member("windowStart", windowStart)
        try json.member("averageDaysBeyondTerms", averageDaysBeyondTerms)
        try json.member("signedAverageDaysBeyondTerms", signedAverageDaysBeyondTerms)
        try json.member("paymentIndex", paymentIndex)
        try json.member("lateShare", lateShare)
        try json.member("recentDaysBeyondTerms", recentDaysBeyondTerms)
        try json.member("earlierDaysBeyondTerms", earlierDaysBeyondTerms)
        try json.member("worstDaysBeyondTerms", worstDaysBeyondTerms)
        try json.member("weightedAmount", weightedAmount)
        try json.member("events", events)
        json.key("agedBalance")
        json.beginObject()
        try json.member("notDue", agedBalance.notDue)
        try json.member("days1to30", agedBalance.days1to30)
        try json.member("days31to60", agedBalance.days31to60)
        try json.member("days61to90", agedBalance.days61to90)
        try json.member("over90", agedBalance.over90)
        try json.member("unappliedCredits", agedBalance.unappliedCredits)
        json.endObject()
        try json.member("exposure", exposure)
        try json.member("overdueShare", overdueShare)
        try json.member("openDisputes", openDisputes)
        try json.member("recentDisputes", recentDisputes)
        try json.member("disputesScored", disputesScored)
        try json.member("disputedAmount", disputedAmount)
        try json.member("brokenPromises", brokenPromises)
        json.key("brokenPromiseDetails")
        json.beginArray()
        for promise in brokenPromiseDetails {
            json.element()
            json.beginObject()
            try json.member("invoiceId", promise.invoiceId)
            try json.member("promisedOn", promise.promisedOn)
            try json.member("payBy", promise.payBy)
            try json.member("deadline", promise.deadline)
            try json.member("promised", promise.promised)
            try json.member("paid", promise.paid)
            json.endObject()
        }
        json.endArray()
        try json.member("invoicesInWindow", invoicesInWindow)
        try json.member("firstInvoice", firstInvoice)
        try json.member("lastInvoice", lastInvoice)
        try json.member("lastPayment", lastPayment)
        try json.member("isThinFile", isThinFile)
        try json.member("seriouslyPastDue", seriouslyPastDue)
        try json.member("isPastDueDefault", isPastDueDefault)
        try json.member("highestExposurePaidWell", highestExposurePaidWell)
        json.endObject()
    }
}

extension SectorBenchmark {
    fileprivate func write(to json: inout JSONWriter) throws {
        json.beginObject()
        try json.member("sectorCode", sectorCode)
        try json.member("sectorLabel", sectorLabel)
        try json.member("usedPortfolioAverage", usedPortfolioAverage)
        try json.member("sectorDaysBeyondTerms", sectorDaysBeyondTerms)
        try json.member("customerDaysBeyondTerms", customerDaysBeyondTerms)
        try json.member("sectorFailureRate", sectorFailureRate)
        try json.member("priorPD", priorPD)
        json.endObject()
    }
}

extension FinancialProfile {
    fileprivate func write(to json: inout JSONWriter) throws {
        json.beginObject()
        try json.member("periodEnd", periodEnd)
        try json.member("periodMonths", periodMonths)
        try json.member("ageMonths", ageMonths)
        try json.member("ageWeight", ageWeight)
        try json.member("x1", x1)
        try json.member("x2", x2)
        try json.member("x3", x3)
        try json.member("x4", x4)
        try json.member("zScore", zScore)
        try json.member("zone", zone?.rawValue)
        try json.member("equityRatio", equityRatio)
        try json.member("currentRatio", currentRatio)
        try json.member("netMargin", netMargin)
        try json.member("hasNegativeEquity", hasNegativeEquity)
        try json.member("hasLoss", hasLoss)
        try json.member("equity", equity)
        try json.member("annualRevenue", annualRevenue)
        json.key("missingFigures")
        json.beginArray()
        for figure in missingFigures {
            json.element()
            json.string(figure)
        }
        json.endArray()
        // A dictionary keyed by a component is written in its own order, as `Codable` does.
        json.key("ratios")
        json.beginObject()
        for (component, ratio) in ratios {
            json.key(component.rawValue)
            try json.value(ratio)
        }
        json.endObject()
        json.endObject()
    }
}

extension EvidenceSummary {
    fileprivate func write(to json: inout JSONWriter) throws {
        json.beginObject()
        try json.member("invoices", invoices)
        try json.member("payments", payments)
        try json.member("disputes", disputes)
        try json.member("firstInvoice", firstInvoice)
        try json.member("lastInvoice", lastInvoice)
        try json.member("lastPayment", lastPayment)
        try json.member("statementPeriodEnd", statementPeriodEnd)
        try json.member("sectorCode", sectorCode)
        json.endObject()
    }

    /// Keys in code-point order, for the verdict.
    fileprivate func writeSorted(to json: inout JSONWriter) throws {
        json.beginObject()
        try json.member("disputes", disputes)
        try json.member("firstInvoice", firstInvoice)
        try json.member("invoices", invoices)
        try json.member("lastInvoice", lastInvoice)
        try json.member("lastPayment", lastPayment)
        try json.member("payments", payments)
        try json.member("sectorCode", sectorCode)
        try json.member("statementPeriodEnd", statementPeriodEnd)
        json.endObject()
    }
}
