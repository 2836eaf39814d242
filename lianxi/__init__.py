"""lianxi (联席): the platform that runs a district's 区域化党建联席会议."""

__version__ = "0.1.0"
