"""Read-only JSON API for HR systems: the roster and honoraria, in the token owner's scope.

Authentication is ``Authorization: Bearer npk_…`` with a token made in the admin for an HR
user; the answers are exactly what that user would see in the browser (the same filter form
and the same scoping). Every authenticated call is written to the audit log. Bad input is a 4xx
JSON answer (400 for a filter outside the scope, 422 for a malformed parameter).
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from django.core.cache import cache
from django.http import HttpRequest
from ninja import Field, NinjaAPI, Query, Schema, Status
from ninja.security import HttpBearer

from accounts.models import User
from audit.enums import ActorKind, AuditAction
from audit.services import audit_record
from interviews.enums import County
from interviews.selectors import offices_for_user, user_is_hr
from panels.enums import SeatStatus
from reports.honoraria import honoraria_lines

from .forms import RosterFilterForm
from .models import ApiToken
from .selectors import (
    background_labels,
    roster_for_user,
    seat_attended,
    seat_background_slugs,
    seat_honoraria,
    seat_local_date,
)
from .services import api_token_authenticate

MAX_INT = 2**31 - 1
# Refused calls written to the audit log per address and minute (see _refusals_this_minute).
REFUSALS_AUDITED_PER_MINUTE = 100
PREFIX_MAX_LENGTH = ApiToken._meta.get_field("prefix").max_length or 0  # a CharField's: set


class TokenAuth(HttpBearer):
    """A live token of a user who is still an HR adviser; the user acts as ``request.user``.

    A refused call (answered 401) is written to the audit log too, so that a leaked, revoked or
    guessed token shows up there.
    """

    def __call__(self, request: HttpRequest) -> ApiToken | None:
        found = super().__call__(request)
        if found is None:
            _audit_refused(request)
        return found

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = api_token_authenticate(secret=token)
        if found is None or not user_is_hr(found.user):
            return None
        request.user = found.user
        return found


class ApiRequest(HttpRequest):
    """A request ``TokenAuth`` let in: ``auth`` is its token, ``user`` the token's user.
    Only an annotation: Django makes the request."""

    auth: ApiToken
    user: User


def _refusals_this_minute(request: HttpRequest) -> int:
    """Calls refused from the request's address in the minute since the first, this one included.

    Anyone can send a call without a valid token, and the audit log is append-only and kept
    for years: an address sending thousands must not be able to grow it without bound.
    """
    key = f"api-refused:{request.META.get('REMOTE_ADDR') or '-'}"
    try:
        cache.add(key, 0, timeout=60)
        return cache.incr(key)
    except Exception:  # noqa: BLE001 - the cache down, or the key just expired: a first one
        return 1


def _audit_refused(request: HttpRequest) -> None:
    """Record a refused call: the endpoint, why, and the id of the token its prefix names.

    Never the presented value, which may be a real secret sent by mistake, and never the
    signed-in user of a browser session, who is not who the API answers to.
    """
    refused = _refusals_this_minute(request)
    if refused > REFUSALS_AUDITED_PER_MINUTE + 1:
        return
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    parts = secret.strip().split("_", 2) if scheme.lower() == "bearer" else []
    token = None
    if len(parts) == 3 and parts[0] == "npk" and 0 < len(parts[1]) <= PREFIX_MAX_LENGTH:
        token = ApiToken.objects.filter(prefix=parts[1]).select_related("user").first()
    if not secret.strip():
        reason = "no_token"
    elif token is None:
        reason = "unknown_token"
    elif token.revoked_at is not None:
        reason = "revoked"
    elif not token.user.is_active or not user_is_hr(token.user):
        reason = "not_hr"
    else:
        reason = "wrong_secret"
    if refused > REFUSALS_AUDITED_PER_MINUTE:
        reason = "too_many"  # said once; the rest of this minute's refusals are not written
    match = request.resolver_match
    audit_record(
        action=AuditAction.API_REFUSED,
        actor_kind=ActorKind.API,
        endpoint=match.url_name if match else "",
        reason=reason,
        token=token.pk if token else None,
    )


api = NinjaAPI(
    title="navpanel HR API",
    version="1",
    description=(
        "Read-only rosters and honoraria for HR systems, within the scope of the token's owner. "
        "Send `Authorization: Bearer <token>`; tokens are made and revoked in the admin site."
    ),
    auth=TokenAuth(),
    urls_namespace="api",
    docs_url="/docs",
)


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] = Field(default_factory=dict)


class ValidationErrorOut(Schema):
    detail: list[dict[str, Any]]


class RosterQuery(Schema):
    office: int | None = Field(None, ge=1, le=MAX_INT, description="An office id in scope.")
    county: County | None = Field(None, description="A county code in scope.")
    round: int | None = Field(None, ge=1, le=MAX_INT, description="A hiring round id in scope.")
    date_from: date | None = Field(None, description="First local (Europe/Oslo) date.")
    date_to: date | None = Field(None, description="Last local date, inclusive.")
    status: SeatStatus | None = None
    background: str | None = Field(None, max_length=50, description="A background code.")
    sort: Literal["date", "-date", "office", "-office", "status", "-status"] = "date"
    include_backgrounds: bool = Field(False, description="Add each seat's background codes.")
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(100, ge=1, le=500)


class RosterRow(Schema):
    seat_id: int
    date: date
    starts_at: datetime
    ends_at: datetime
    office_id: int
    office: str
    county: str
    round_id: int
    position: str
    panel_id: int
    representative_id: int | None
    representative: str | None
    organisation: str
    status: str
    attended: bool | None
    honorarium: Decimal = Field(description="Day rate (first paid seat of the day) plus travel.")
    backgrounds: list[str] | None = None


class RosterPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[RosterRow]


def _form_data(query: Schema, names: tuple[str, ...]) -> dict[str, str]:
    data = {}
    for name in names:
        value = getattr(query, name)
        if value is None or value is False:
            continue
        data[name] = value.isoformat() if isinstance(value, date) else str(value)
    return data


def _unknown_parameters(request: HttpRequest, query: type[Schema]) -> Any:
    """A 400 answer naming the query parameters the endpoint does not know, or None.

    A misspelt filter (``ofice=3``) must not quietly answer with every seat in scope.
    """
    unknown = sorted(set(request.GET) - set(query.model_fields))
    if not unknown:
        return None
    return Status(
        400,
        {
            "detail": "Unknown parameters.",
            "errors": {name: ["Unknown parameter."] for name in unknown},
        },
    )


def _errors(form: RosterFilterForm) -> dict[str, list[str]]:
    return {name: [str(error) for error in errors] for name, errors in form.errors.items()}


def _audit(request: ApiRequest, *, endpoint: str, filters: dict[str, Any], rows: int) -> None:
    audit_record(
        action=AuditAction.API_CALLED,
        request=request,
        actor_kind=ActorKind.API,
        endpoint=endpoint,
        token=request.auth.pk,
        filters=filters,
        rows=rows,
    )


@api.get(
    "/roster",
    response={200: RosterPage, 400: ErrorOut, 401: ErrorOut, 422: ValidationErrorOut},
    summary="Seats on panels, filtered and paginated",
)
def roster(request: ApiRequest, query: Query[RosterQuery]) -> Any:
    if refused := _unknown_parameters(request, RosterQuery):
        _audit(request, endpoint="roster", filters={}, rows=0)
        return refused
    data = _form_data(
        query, ("office", "county", "round", "date_from", "date_to", "status", "background")
    )
    data["sort"] = query.sort
    if query.include_backgrounds:
        data["backgrounds"] = "on"
    form = RosterFilterForm(data, user=request.user)
    if not form.is_valid():
        _audit(request, endpoint="roster", filters=data, rows=0)
        return Status(400, {"detail": "Invalid filters.", "errors": _errors(form)})
    with_backgrounds = form.show_backgrounds
    seats = roster_for_user(request.user, filters=form.filters(), with_backgrounds=with_backgrounds)
    count = seats.count()
    start = (query.page - 1) * query.page_size
    page = list(seats[start : start + query.page_size]) if start < count else []
    known = set(background_labels()) if with_backgrounds else set()
    honoraria = seat_honoraria(request.user, page)
    items = [
        RosterRow(
            seat_id=seat.pk,
            date=seat_local_date(seat),
            starts_at=seat.starts_at,
            ends_at=seat.ends_at,
            office_id=seat.panel.round.office_id,
            office=seat.panel.round.office.name,
            county=seat.panel.round.office.county,
            round_id=seat.panel.round_id,
            position=seat.panel.round.position_title,
            panel_id=seat.panel_id,
            representative_id=seat.representative_id,
            representative=seat.representative.name if seat.representative else None,
            organisation=seat.representative.organisation if seat.representative else "",
            status=seat.status,
            attended=seat_attended(seat),
            honorarium=honoraria.get(seat.pk, Decimal("0.00")),
            backgrounds=[slug for slug in seat_background_slugs(seat) if slug in known]
            if with_backgrounds
            else None,
        )
        for seat in page
    ]
    _audit(request, endpoint="roster", filters=data, rows=len(items))
    return Status(
        200, {"count": count, "page": query.page, "page_size": query.page_size, "items": items}
    )


def _honoraria_routes() -> None:
    """The honoraria endpoint, on top of ``reports.honoraria`` (helper C2's module)."""

    class HonorariaQuery(Schema):
        date_from: date = Field(description="First local (Europe/Oslo) date.")
        date_to: date = Field(description="Last local date, inclusive.")
        office: int | None = Field(None, ge=1, le=MAX_INT, description="An office id in scope.")

    class HonorariumLineOut(Schema):
        representative_id: int
        representative: str
        reference: str
        office_id: int
        office: str
        date: date
        kind: str
        description: str
        amount: Decimal
        rate_missing: bool
        seat_ids: list[int]

    class HonorariaOut(Schema):
        count: int
        total: Decimal
        items: list[HonorariumLineOut]

    @api.get(
        "/honoraria",
        response={200: HonorariaOut, 400: ErrorOut, 401: ErrorOut, 422: ValidationErrorOut},
        summary="Payable lines (interview days and travel) for a period",
    )
    def honoraria(request: ApiRequest, query: Query[HonorariaQuery]) -> Any:
        if refused := _unknown_parameters(request, HonorariaQuery):
            _audit(request, endpoint="honoraria", filters={}, rows=0)
            return refused
        data = _form_data(query, ("office", "date_from", "date_to"))
        form = RosterFilterForm(data, user=request.user)
        if not form.is_valid():
            _audit(request, endpoint="honoraria", filters=data, rows=0)
            return Status(400, {"detail": "Invalid filters.", "errors": _errors(form)})
        filters = form.filters()
        offices = None
        if filters.office_id:
            offices = list(offices_for_user(request.user).filter(pk=filters.office_id))
        lines = honoraria_lines(
            user=request.user,
            # Required by the query; the form, valid, has the same dates.
            date_from=query.date_from,
            date_to=query.date_to,
            offices=offices,
        )
        items = [
            {
                "representative_id": line.representative_id,
                "representative": line.representative_name,
                "reference": line.reference,
                "office_id": line.office_id,
                "office": line.office_name,
                "date": line.date,
                "kind": str(line.kind),
                "description": line.description,
                "amount": line.amount,
                "rate_missing": line.rate_missing,
                "seat_ids": list(line.seat_ids),
            }
            for line in lines
        ]
        _audit(request, endpoint="honoraria", filters=data, rows=len(items))
        total = sum((line.amount for line in lines), Decimal("0.00"))
        return Status(200, {"count": len(items), "total": total, "items": items})


_honoraria_routes()
