"""A simulated go.id web for pantau: a world file of pemda sites served on 127.0.0.1.

``load_world`` reads a world; ``start_testbed`` serves it and tells the crawler where
everything is (hosts file, registry rows, CA certificate, ground truth).
"""

from testbed.server import Testbed, TestbedSite, start_testbed, world_truth
from testbed.world import World, WorldError, load_world

__all__ = ["Testbed", "TestbedSite", "World", "WorldError", "load_world", "start_testbed", "world_truth"]
