"""Reviewed vulture allow-list: names that look unused but are used by something vulture cannot
see. Each group says why. (`make lint` runs vulture with this file; anything new it reports is
either dead, and deleted, or added here with its reason.)"""

# ruff: noqa
# mypy: ignore-errors

# The QA codes' value tuple: tests/core/review keeps core/review's plain words the same set.
QA_CODES

# Read by the route-table tests (tests/api/test_security.py), the contract of public routes.
PUBLIC_ROUTES

# Table columns and API fields: written and read through SQLModel / pydantic by name, in
# migrations, JSON bodies and the OpenAPI schema.
counterparty
source_size
evidence_segment_keys
type_confidence
approved_by
approved_at
clause_number
clause_key
segment_keys
requested_by
attempts
checked_at
token_type
next_after
document
enqueued
sso
latency_ms
kind_label  # the UI's ItemRow(**dict) fields
organization_name  # InvitationPublic (API)
invited_by  # invitations table
failed_logins  # users table: kept for accounts' history (sign-in throttling is in Redis now)
locked_until

# Settings fields read from the environment by pydantic-settings (and by the LLM client,
# the run command and the Reflex config by name).
LLM_MODEL
LLM_API_KEY
API_PORT
FRONTEND_PORT
public_origins  # rxconfig.py's CORS origins

# arq reads these from RedisSettings and WorkerSettings.
conn_timeout
conn_retries
functions
cron_jobs
queue_name
health_check_interval
poll_delay
keep_result

# python-docx / fpdf2 objects: setting the attribute is the API (fonts, runs, page footer hook).
highlight_color
modified
italic
left_indent
underline
rgb
strike
footer

# Reflex passes the browser's rejection list to the handler; the message does not need it.
rejections

# Creates the bucket for operators and the S3 tests (buckets are provisioned, not created, in
# production).
ensure_bucket

# Used only by tests today, in modules other helpers own (issue 14 lists them): the extraction
# split (values.py: term_values; money_amounts.Money.to_value; rules.KINDS; drafting
# terms.LIST_SLOTS), the learned scorer's feature order (cues.FEATURE_NAMES, read by its tests
# and weights docs), the redline exports in render/ (to_docx, to_html), and
# Draft.with_clause_text (edits of a clause's text).
term_values
to_value
KINDS
LIST_SLOTS
FEATURE_NAMES
render_redline_docx
render_redline_html
with_clause_text

# Read by redis-py's connection pool (arq hands RedisSettings to it), never by our code.
retry_on_error

# The negotiation model's vocabulary and a mention's "said as shorthand" flag: data the term
# tracker records for the docs and the API's negotiation history, not read by code yet.
OFFER_STATES
shorthand

# Playbook positions that clause templates read by name ("{p.liability_cap}"), python-docx
# style and core-property attributes it reads when saving, and a table column kept for audit.
liability_cap
confidentiality
governing_law
acceptance_days
notice_days
renewal
order_terms
space_after
author
accepted_by

# Recordings: a response model's field, PyAV frame attributes it reads when encoding, the
# io.RawIOBase protocol methods the decoder calls, and a probe field shown in errors.
speakers_from
layout
sample_rate
pts
readable
seekable
readinto
codec
