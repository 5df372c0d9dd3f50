"""Name resolution: the hosts-file override and the address guard."""

import pytest

from crawler.resolver import AddressGuard, HostsFileError, NameNotFound, is_public_address, read_hosts_file


def test_hosts_file_maps_every_name_on_a_line(tmp_path):
    path = tmp_path / "hosts.txt"
    path.write_text("# testbed\n127.0.0.1 jambiprov.go.id www.jambiprov.go.id\n\n127.0.0.1 ppid.jambiprov.go.id  # PPID\n")
    assert read_hosts_file(path) == {
        "jambiprov.go.id": "127.0.0.1", "www.jambiprov.go.id": "127.0.0.1", "ppid.jambiprov.go.id": "127.0.0.1"}


@pytest.mark.parametrize("line, message", [
    ("jambiprov.go.id\n", "hosts.txt:2: expected 'ADDRESS NAME', got 'jambiprov.go.id'"),
    ("localhost jambiprov.go.id\n", "hosts.txt:2: 'localhost' is not an IP address"),
])
def test_a_bad_hosts_line_names_file_and_line(tmp_path, line, message):
    path = tmp_path / "hosts.txt"
    path.write_text("127.0.0.1 ok.go.id\n" + line)
    with pytest.raises(HostsFileError) as excinfo:
        read_hosts_file(path)
    assert str(excinfo.value) == f"{path.parent}/{message}"


def test_with_a_hosts_file_unlisted_names_do_not_resolve_at_all():
    guard = AddressGuard({"jambiprov.go.id": "127.0.0.1"}, allow_private=True)
    assert guard.resolve("JambiProv.go.id.") == "127.0.0.1"
    with pytest.raises(NameNotFound):
        guard.resolve("example.com")


@pytest.mark.parametrize("address, public", [
    ("127.0.0.1", False), ("10.1.2.3", False), ("172.16.0.9", False), ("192.168.1.1", False),
    ("169.254.169.254", False), ("::1", False), ("fe80::1", False), ("0.0.0.0", False),
    ("103.10.20.30", True), ("2001:4860::1", True),
])
def test_only_public_addresses_are_permitted_by_default(address, public):
    assert is_public_address(address) is public
    assert AddressGuard(None, allow_private=False).permitted(address) is public
    assert AddressGuard(None, allow_private=True).permitted(address) is True


def test_literal_addresses_resolve_to_themselves():
    assert AddressGuard({}, allow_private=False).resolve("10.0.0.1") == "10.0.0.1"
