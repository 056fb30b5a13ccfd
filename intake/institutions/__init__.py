"""The institutions registry (机构名录): who may claim, for what, from when to when, and who no longer may.

names.py        the names an institution prints on forms, and the key they are compared by
importer.py     `subsidy institutions import`: the registry from an Excel or CSV list
matching.py     which registered institution a bundle's roster (培训机构) and agreement (甲方) name
eligibility.py  recognised for the claim's profession on its training date? disqualified since when?

The rows, and every change to them in the audit chain, are intake/store/institutions.py's.
"""
