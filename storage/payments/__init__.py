"""Payments outside the core: the repository of payments and refunds, the Stripe
gateway (:mod:`storage.payments.stripe_gateway`) and the outbox transport that
makes refunds and closes checkouts after the commit (:mod:`storage.payments.transport`).
"""
