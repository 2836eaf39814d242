"""What ``lianxi demo`` loads: the Huangpu reference data, the demo accounts, then each app's sample
loader. ``DEMO_STEPS`` are dotted paths of callables taking no arguments, run in order inside the
``demo`` command; each must be idempotent (running the command twice duplicates nothing). Apps add
their own loader by appending its path here."""

DEMO_STEPS = [
    "lianxi.demo.huangpu.load_huangpu",
    "lianxi.lists.demo.load_samples",
    "lianxi.matching.demo.send_sample_invitation",
    "lianxi.demo.accounts.create_demo_accounts",
    "lianxi.campaigns.demo.load_huangpu_campaigns",
    "lianxi.campaigns.demo.load_demo_campaign",
    # After the accounts: the demo secretariat also runs the visits room's sample conference.
    "lianxi.visits.demo.load_samples",
]
