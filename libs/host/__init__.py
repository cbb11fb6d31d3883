"""The service host: one gRPC server for any group of service plugins."""
from libs.host.context import HostContext
from libs.host.plugin import ServicePlugin
from libs.host.server import Host, create_server

__all__ = ["Host", "HostContext", "ServicePlugin", "create_server"]
