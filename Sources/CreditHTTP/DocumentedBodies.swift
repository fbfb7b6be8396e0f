import CreditApp

// The fields each JSON request body takes, as its schema in openapi.yaml lists them.

extension OrderController.OrderCheckRequest: DocumentedRequestBody {
    static let documentedFields: Set<String> = ["orderId", "amount", "reserve"]
}

extension OrderController.HeldOrderDecision: DocumentedRequestBody {
    static let documentedFields: Set<String> = ["reason", "author"]
}

extension OrderController.GroupLimitRequest: DocumentedRequestBody {
    static let documentedFields: Set<String> = ["limit", "reason", "author"]
}

extension EventController.PaymentEvent: DocumentedRequestBody {
    static let documentedFields: Set<String> = ["paymentId", "invoiceId", "paidOn", "amount"]
}

extension EventController.PromiseEvent: DocumentedRequestBody {
    static let documentedFields: Set<String> = ["invoiceId", "payBy", "amount", "note", "author"]
}

extension EventController.ActivityEvent: DocumentedRequestBody {
    static let documentedFields: Set<String> = [
        "customerId", "kind", "invoiceIds", "channel", "outcome", "note", "author", "on", "step",
    ]
}

extension EventController.DisputeEvent: DocumentedRequestBody {
    static let documentedFields: Set<String> = ["action", "invoiceId", "kind", "amount", "owner", "note", "outcome", "on"]
}

extension DecisionController.OverrideRequest: DocumentedRequestBody {
    static let documentedFields: Set<String> = ["grade", "limit", "reason", "author", "expiresOn"]
}

extension LimitRequestController.LimitRequestBody: DocumentedRequestBody {
    static let documentedFields: Set<String> = ["limit", "reason", "expiresOn"]
}

extension LimitRequestController.DecisionBody: DocumentedRequestBody {
    static let documentedFields: Set<String> = ["reason"]
}

extension ReviewController.ReviewBody: DocumentedRequestBody {
    static let documentedFields: Set<String> = ["decision", "note", "limit"]
}

extension ApplicationController.DecisionRequest: DocumentedRequestBody {
    static let documentedFields: Set<String> = ["decision", "customerId", "limit", "author", "reason"]
}

extension AccountApplicationRequest: DocumentedRequestBody {
    public static let documentedFields: Set<String> = [
        "applicationId", "name", "registrationId", "sectorCode", "country", "termsDays", "group", "requestedLimit",
        "statementXML",
    ]
}

extension AlertController.Acknowledgement: DocumentedRequestBody {
    static let documentedFields: Set<String> = ["note", "author"]
}

/// Every documented body, for the test that keeps these lists and the API document the same.
let documentedRequestBodies: [(schema: String, fields: Set<String>)] = [
    ("OverrideRequest", DecisionController.OverrideRequest.documentedFields),
    ("OrderCheckRequest", OrderController.OrderCheckRequest.documentedFields),
    ("HeldOrderDecisionRequest", OrderController.HeldOrderDecision.documentedFields),
    ("GroupLimitRequest", OrderController.GroupLimitRequest.documentedFields),
    ("/v1/events/payments", EventController.PaymentEvent.documentedFields),
    ("/v1/events/promises", EventController.PromiseEvent.documentedFields),
    ("/v1/events/activities", EventController.ActivityEvent.documentedFields),
    ("/v1/events/disputes", EventController.DisputeEvent.documentedFields),
    ("ApplicationRequest", AccountApplicationRequest.documentedFields),
    ("ApplicationDecisionRequest", ApplicationController.DecisionRequest.documentedFields),
    ("ContactRequest", ContactController.ContactBody.documentedFields),
    ("/v1/alerts/{id}/acknowledge", AlertController.Acknowledgement.documentedFields),
    ("LimitRequestBody", LimitRequestController.LimitRequestBody.documentedFields),
    ("LimitRequestDecision", LimitRequestController.DecisionBody.documentedFields),
    ("ReviewRequest", ReviewController.ReviewBody.documentedFields),
]
