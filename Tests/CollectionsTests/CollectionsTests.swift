import CreditCore
import Testing

// Specifications of the collections core live in this target (worklist, disputes, promises, KPIs).
@Suite("Collections")
struct CollectionsTests {
    @Test("reminder steps come from the model's scenario for the customer's risk class")
    func placeholderUntilTheWorklistLands() throws {
        let step = ReminderStep.reminder
        #expect(step.escalation > ReminderStep.preDueNotice.escalation)
    }
}
