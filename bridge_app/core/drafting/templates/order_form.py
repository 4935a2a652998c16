"""The order form's clauses."""

from __future__ import annotations

from bridge_app.core.drafting.templates.clauses import (
    GENERAL_CLAUSE,
    GOVERNING_LAW_CLAUSE,
    LIABILITY,
    NOTICE,
    OBLIGATIONS,
    OTHER_TERMS_CLAUSE,
    PARTIES_CLAUSE,
    PAYMENT_SCHEDULE,
    RENEWAL,
    ClauseSpec,
    ContractTemplate,
)

ORDER_FORM = ContractTemplate(
    type="order-form",
    title="Order Form",
    roles=("Customer", "Vendor"),
    clauses=(
        PARTIES_CLAUSE,
        ClauseSpec(
            "order",
            "Order",
            """
The Customer orders from the Vendor\
{% if has.quantity %} {{ t.quantity }}{% endif %}\
{% if has.deliverables %}, consisting of: {{ t.deliverables | join("; ") }},{% endif %} \
for a total price of {{ t.price }} (the "Price"), as agreed at the meeting \
"{{ meeting_title }}" held on {{ meeting_date }}.
""",
            needs=("price",),
        ),
        ClauseSpec(
            "subscription-term",
            "Subscription Term",
            """
The subscription and any services ordered start on {{ t.start_date }} and continue \
{% if has.end_date %}until {{ t.end_date }}{% else %}for {{ t.term }}{% endif %} (the \
"Subscription Term"), unless terminated earlier under the Terms.
""",
            needs=("start_date", "term"),
        ),
        ClauseSpec(
            "renewal",
            "Renewal",
            """
At the end of the Subscription Term the subscription renews for successive periods of \
__RENEWAL__ each, unless either Party gives the other written notice of non-renewal at least \
__NOTICE__ before the end of the current period. The Price for a renewal period is the Price \
for the Subscription Term, unless the Vendor gives written notice of a change at least \
__NOTICE__ before that renewal period starts.
""".replace("__RENEWAL__", RENEWAL).replace("__NOTICE__", NOTICE),
        ),
        ClauseSpec(
            "usage-limits",
            "Usage Limits",
            """
The Customer may use the ordered services up to \
{% if has.quantity %}{{ t.quantity }}\
{% else %}the quantities stated in this Order Form{% endif %}. \
Use above that limit needs a further order, charged at the same unit rate pro rata for the rest \
of the Subscription Term. The Vendor may verify usage on reasonable notice, no more than once \
a year.
""",
        ),
        ClauseSpec("payment", "Payment", PAYMENT_SCHEDULE, needs=("payment_terms",)),
        ClauseSpec("responsibilities", "Responsibilities", OBLIGATIONS),
        ClauseSpec(
            "incorporated-terms",
            "Governing Terms",
            """
This Order Form is governed by and incorporates {{ pb.order_terms }} (the "Terms"). If this Order \
Form and the Terms conflict, this Order Form prevails for the order it describes. Capitalised \
words not defined here have the meaning given in the Terms.
""",
        ),
        ClauseSpec("limitation-of-liability", "Limitation of Liability", LIABILITY),
        OTHER_TERMS_CLAUSE,
        GOVERNING_LAW_CLAUSE,
        GENERAL_CLAUSE,
    ),
)
