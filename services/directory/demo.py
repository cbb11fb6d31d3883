"""Demo program for `partneros up --demo`, created through the directory's own gRPC API.

Two distributors with resellers and sub-resellers (three levels), forty customers with stable
names, emails and external ids, a channel manager, a partner user and two machine keys. The
data is fixed (no randomness) so that demos and screenshots look the same on every machine.
"""
from __future__ import annotations

from typing import Any

import grpc
from google.protobuf import field_mask_pb2
from partneros.directory.v1 import directory_pb2 as pb
from partneros.directory.v1 import directory_pb2_grpc

__all__ = ["seed", "TREE", "customer_specs"]

# name -> children; depth 3: distributor -> reseller -> sub-reseller.
TREE: dict[str, dict[str, dict[str, dict]]] = {
    "Northwind Distribution": {
        "Rhein IT Solutions": {"Rhein IT Köln": {}, "Rhein IT Bonn": {}},
        "Hanse Cloud Partners": {"Hanse Nord Services": {}},
        "Spree Digital": {},
    },
    "Alpine Channel Group": {
        "Bergwerk Systems": {"Bergwerk Tirol": {}},
        "Edelweiss Software": {},
    },
}

_COMPANIES = [
    "Müller Logistik", "Brauhaus Schneider", "Fischer Metallbau", "Weber Apotheken", "Wagner Elektro",
    "Becker Bäckereien", "Hoffmann Architekten", "Schäfer Reisen", "Koch & Partner Steuerberatung",
    "Bauer Landtechnik", "Richter Immobilien", "Klein Optik", "Wolf Sicherheitstechnik", "Neumann Druckerei",
    "Schwarz Autohaus", "Zimmermann Holzbau", "Braun Medizintechnik", "Krüger Spedition", "Hofmann Gartenbau",
    "Hartmann Versicherungsmakler", "Lange Kanzlei", "Schmitt Textil", "Werner Kältetechnik", "Krause Dental",
    "Meier Feinkost", "Lehmann Verlag", "Schmid Bergbahnen", "Schulz Fahrradwelt", "Maier Weingut",
    "Köhler Energie", "Herrmann Pflegedienst", "König Sportartikel", "Walter Bauunternehmung", "Mayer Hotels",
    "Huber Käserei", "Kaiser Musikschule", "Fuchs Tierklinik", "Peters Schifffahrt", "Lang Möbelhaus",
    "Scholz Laborbedarf",
]
_CONTACTS = ["anna", "lukas", "mia", "felix", "lea", "jonas", "emma", "paul", "hannah", "leon"]
_SURNAMES = ["schmidt", "weber", "meyer", "wagner", "becker", "schulz", "hoffmann", "koch", "richter", "klein"]
_MANAGER = {"email": "clara.becker@demo.partneros.dev", "name": "Clara Becker", "distributor": "Northwind Distribution"}
_PARTNER_USER = {"email": "jonas.richter@rhein-it.example", "name": "Jonas Richter", "reseller": "Rhein IT Solutions"}
_BOUND_KEY = {"display_name": "Alpine CRM sync", "distributor": "Alpine Channel Group"}


def _slug(name: str) -> str:
    table = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "&": "", " ": "-"})
    return "-".join(part for part in name.lower().translate(table).split("-") if part)


def customer_specs(partner_names: list[str]) -> list[dict[str, str]]:
    """Forty customers dealt round-robin over the partners (every level gets some)."""
    specs = []
    for i, company in enumerate(_COMPANIES):
        contact = f"{_CONTACTS[i % len(_CONTACTS)]}.{_SURNAMES[(i * 3) % len(_SURNAMES)]}"
        specs.append({
            "name": f"{company} GmbH",
            "email": f"{contact}@{_slug(company)}.example",
            "external_id": f"CRM-{10_400 + i * 7}",
            "partner": partner_names[i % len(partner_names)],
        })
    return specs


def _create_partners(stub: Any, md: Any, tree: dict, parent_id: str, out: list[dict[str, str]]) -> None:
    for name, children in tree.items():
        p = stub.CreatePartner(pb.CreatePartnerRequest(partner=pb.Partner(name=name, parent_id=parent_id)), metadata=md)
        out.append({"id": p.id, "name": p.name, "parent_id": p.parent_id})
        _create_partners(stub, md, children, p.id, out)


def seed(channel: grpc.Channel, metadata: Any, state: dict[str, Any]) -> None:
    """Create the demo directory with the admin's metadata; record ids and one-time secrets in `state`."""
    stub = directory_pb2_grpc.DirectoryServiceStub(channel)
    md = metadata
    stub.UpdateTenant(pb.UpdateTenantRequest(tenant=pb.Tenant(time_zone="Europe/Berlin"),
                                             update_mask=field_mask_pb2.FieldMask(paths=["time_zone"])), metadata=md)
    partners: list[dict[str, str]] = []
    _create_partners(stub, md, TREE, "", partners)
    by_name = {p["name"]: p["id"] for p in partners}

    customers = []
    for spec in customer_specs([p["name"] for p in partners]):
        c = stub.CreateCustomer(pb.CreateCustomerRequest(customer=pb.Customer(
            partner_id=by_name[spec["partner"]], email=spec["email"], external_id=spec["external_id"],
            name=spec["name"])), metadata=md)
        customers.append({"id": c.id, "partner_id": c.partner_id, "email": c.email, "external_id": c.external_id,
                          "name": c.name})

    manager = stub.CreateOperator(pb.CreateOperatorRequest(operator=pb.Operator(
        email=_MANAGER["email"], name=_MANAGER["name"], role=pb.OPERATOR_ROLE_MANAGER,
        assigned_partner_ids=[by_name[_MANAGER["distributor"]]])), metadata=md)
    user = stub.CreatePartnerUser(pb.CreatePartnerUserRequest(partner_user=pb.PartnerUser(
        partner_id=by_name[_PARTNER_USER["reseller"]], email=_PARTNER_USER["email"], name=_PARTNER_USER["name"])),
        metadata=md)

    def token(subject_id: str) -> str:
        return stub.CreatePersonalToken(pb.CreatePersonalTokenRequest(personal_token=pb.PersonalToken(
            subject_id=subject_id, display_name="demo")), metadata=md).secret

    bound = stub.CreateMachineKey(pb.CreateMachineKeyRequest(machine_key=pb.MachineKey(
        display_name=_BOUND_KEY["display_name"], scopes=["events:write"],
        partner_id=by_name[_BOUND_KEY["distributor"]])), metadata=md)
    unbound = stub.CreateMachineKey(pb.CreateMachineKeyRequest(machine_key=pb.MachineKey(
        display_name="Billing system export", scopes=["events:write"])), metadata=md)

    state.update({
        "partners": partners,
        "customers": customers,
        "manager_id": manager.id,
        "manager_partner_id": by_name[_MANAGER["distributor"]],
        "manager_token": token(manager.id),
        "partner_user_id": user.id,
        "partner_user_partner_id": user.partner_id,
        "partner_user_token": token(user.id),
        "machine_key_id": bound.machine_key.id,
        "machine_key_partner_id": bound.machine_key.partner_id,
        "machine_key_secret": bound.secret,
        "machine_key_secret_unbound": unbound.secret,
    })
