"""Place knowledge: the curated gazetteer, regions, the GeoNames index, derived caches.

Also the candidate type every resolver answers with, and distances.
"""
