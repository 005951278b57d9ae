# id: NEW-0001
# title: A consignor never seen before, to a consignee it never shipped to
# risk_area: fiscal
# weight: 1.5
# channel: red
pair.novel && consignor.declarations_seen < 1 && consignee.declarations_seen >= 3
