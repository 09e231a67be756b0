"""Reference data the demo generator draws from, with the weights that give its skew.

Weights are relative frequencies, not probabilities; a `None` value in a weighted table is how often
the field is empty, so each table shows the field's null rate beside its values.
"""

from __future__ import annotations

MALE_FIRST = (
    "Agus", "Budi", "Adi", "Andi", "Bayu", "Dimas", "Eko", "Fajar", "Hendra", "Irfan", "Joko", "Rizky",
    "Yoga", "Arif", "Bambang", "Dedi", "Fauzi", "Gilang", "Hadi", "Ilham", "Kurniawan", "Lukman", "Made",
    "Nyoman", "Putu", "Ketut", "Rahmat", "Reza", "Slamet", "Teguh", "Wahyu", "Yusuf", "Zainal", "Aditya",
    "Bima", "Dani", "Farhan", "Hafiz", "Iqbal", "Rudi", "Surya", "Taufik", "Wayan", "Yogi", "Ridwan",
)
FEMALE_FIRST = (
    "Dewi", "Siti", "Putri", "Sari", "Ayu", "Rina", "Wulan", "Indah", "Fitri", "Lestari", "Maya", "Nur",
    "Ratna", "Anisa", "Bunga", "Citra", "Dian", "Eka", "Fransiska", "Gita", "Hana", "Intan", "Kartika",
    "Lina", "Mega", "Novi", "Oktaviani", "Puspita", "Rahayu", "Safitri", "Tari", "Utami", "Vina", "Yuni",
    "Zahra", "Nabila", "Aulia", "Desi", "Kadek", "Komang", "Melati", "Nadia", "Reni", "Salsabila", "Tiara",
)
LAST = (
    "Santoso", "Wijaya", "Saputra", "Pratama", "Hidayat", "Nugroho", "Kusuma", "Setiawan", "Wibowo",
    "Susanto", "Gunawan", "Halim", "Siregar", "Nasution", "Harahap", "Lubis", "Simanjuntak", "Sitompul",
    "Tanjung", "Putra", "Sulistyo", "Purnomo", "Hartono", "Kurniawati", "Maharani", "Lestari", "Utomo",
    "Permana", "Firmansyah", "Ramadhan", "Syahputra", "Hakim", "Suryadi", "Wahyudi", "Sihombing",
    "Pangaribuan", "Manurung", "Tambunan", "Sinaga", "Rahman", "Effendi", "Hasibuan", "Suharto",
    "Prasetyo", "Anggraini", "Rusdi", "Mahendra", "Gultom", "Panjaitan", "Situmorang",
)

# (province, (city, weight)..., weight of the province, (latitude, longitude) of its main city)
PROVINCES: tuple[tuple[str, tuple[tuple[str, int], ...], int, tuple[float, float]], ...] = (
    ("DKI Jakarta", (("Jakarta Selatan", 30), ("Jakarta Pusat", 18), ("Jakarta Barat", 22),
                     ("Jakarta Timur", 20), ("Jakarta Utara", 10)), 24, (-6.2088, 106.8456)),
    ("Jawa Barat", (("Bandung", 35), ("Bekasi", 25), ("Bogor", 18), ("Depok", 15), ("Cirebon", 7)), 18,
     (-6.9175, 107.6191)),
    ("Jawa Timur", (("Surabaya", 50), ("Malang", 25), ("Sidoarjo", 15), ("Kediri", 10)), 13,
     (-7.2575, 112.7521)),
    ("Jawa Tengah", (("Semarang", 45), ("Solo", 30), ("Magelang", 12), ("Tegal", 13)), 9,
     (-6.9667, 110.4167)),
    ("Banten", (("Tangerang", 50), ("Tangerang Selatan", 35), ("Serang", 15)), 8, (-6.1783, 106.6319)),
    ("DI Yogyakarta", (("Yogyakarta", 60), ("Sleman", 25), ("Bantul", 15)), 4, (-7.7956, 110.3695)),
    ("Bali", (("Denpasar", 55), ("Badung", 30), ("Gianyar", 15)), 5, (-8.6705, 115.2126)),
    ("Sumatera Utara", (("Medan", 70), ("Binjai", 12), ("Pematangsiantar", 18)), 6, (3.5952, 98.6722)),
    ("Sumatera Barat", (("Padang", 75), ("Bukittinggi", 25)), 2, (-0.9471, 100.4172)),
    ("Sumatera Selatan", (("Palembang", 100),), 2, (-2.9761, 104.7754)),
    ("Riau", (("Pekanbaru", 100),), 2, (0.5071, 101.4478)),
    ("Lampung", (("Bandar Lampung", 100),), 2, (-5.3971, 105.2668)),
    ("Kalimantan Timur", (("Balikpapan", 55), ("Samarinda", 45)), 2, (-1.2379, 116.8529)),
    ("Sulawesi Selatan", (("Makassar", 100),), 3, (-5.1477, 119.4327)),
)

MOBILE_PREFIXES = (
    "811", "812", "813", "821", "822", "823", "852", "853", "814", "815", "816", "855", "856", "857",
    "858", "817", "818", "819", "859", "877", "878", "881", "882", "895", "896", "897", "898", "899",
)
EMAIL_DOMAINS = (("gmail.com", 62), ("yahoo.co.id", 10), ("yahoo.com", 8), ("outlook.com", 6),
                 ("hotmail.com", 4), ("icloud.com", 3), ("ymail.com", 2))

SOURCES = (("WhatsApp", 42), ("Instagram", 14), ("Website", 10), ("Facebook", 8), ("Email", 7),
           ("TikTok", 5), ("Tokopedia", 4), ("Shopee", 3), ("Referral", 2), ("Walk-in", 2), (None, 3))
STATUSES = (("Lead", 30), ("Prospect", 18), ("Customer", 35), ("Inactive", 8), ("Churned", 3), (None, 6))
SEXES = (("female", 40), ("male", 36), (None, 24))
JOB_TITLES = (
    ("Karyawan Swasta", 18), ("Wiraswasta", 12), ("Mahasiswa", 10), ("Ibu Rumah Tangga", 7),
    ("Pegawai Negeri Sipil", 5), ("Guru", 4), ("Software Engineer", 3), ("Marketing Manager", 3),
    ("Sales Executive", 3), ("Dokter", 2), ("Perawat", 2), ("Akuntan", 2), ("Owner", 3),
    ("Customer Service", 2), ("Designer", 1), ("Driver Online", 2), (None, 40),
)
JOB_ROLES_B2B = ("Procurement Manager", "Operations Manager", "Direktur", "HR Manager", "Finance Manager")

COMPANY_PREFIXES = ("PT", "PT", "PT", "CV", "UD")
COMPANY_WORDS = (
    "Maju", "Jaya", "Sentosa", "Abadi", "Makmur", "Sejahtera", "Nusantara", "Mandiri", "Karya", "Sukses",
    "Bersama", "Cahaya", "Mitra", "Prima", "Sinar", "Global", "Teknologi", "Niaga", "Indo", "Garuda",
    "Samudra", "Berkah", "Lestari", "Utama", "Digital", "Kreasi", "Persada", "Mulia",
)
INDUSTRIES = (("Retail", 20), ("Food & Beverage", 16), ("Manufacturing", 10), ("Technology", 10),
              ("Logistics", 8), ("Healthcare", 7), ("Education", 6), ("Finance", 6), ("Property", 5),
              ("Hospitality", 6), ("Automotive", 4), (None, 6))

MARKETING_ACCOUNTS = (("Demo Official (WhatsApp)", 60), ("Demo Promo (WhatsApp)", 20),
                      ("Demo Newsletter (Email)", 15), (None, 5))
LOYALTY_TIERS = (("Bronze", 50), ("Silver", 28), ("Gold", 15), ("Platinum", 7))
REWARDS = (("Voucher Diskon Rp50.000", 30), ("Gratis Ongkir", 25), ("Cashback 10%", 20),
           ("Free Kopi Susu", 15), ("Voucher Ulang Tahun", 10))
CREATED_BY_SYSTEM = ("system", "api-integration")

CONVERSATION_CHANNELS = (("WhatsApp", 60), ("Instagram", 12), ("Email", 8), ("Live Chat", 8), ("Facebook", 6),
                         ("Telegram", 3), ("Phone Call", 3))
CHANNEL_ACCOUNTS: dict[str, tuple[str, ...]] = {
    "WhatsApp": ("Demo Official", "Demo Official", "Demo CS Surabaya"),
    "Instagram": ("@demo.official",),
    "Email": ("cs@demo-organisation.co.id",),
    "Live Chat": ("Website Widget",),
    "Facebook": ("Demo Organisation Page",),
    "Telegram": ("@demo_org_bot",),
    "Phone Call": ("Hotline 1500-123",),
}
CONVERSATION_TAGS = (("order", 20), ("product-info", 16), ("shipping", 14), ("payment", 12), ("promo", 10),
                     ("complaint", 9), ("refund", 6), ("follow-up", 8), ("vip", 3), ("reseller", 2))

# (name, channel, days before the reference date it was sent, is an ads campaign)
CAMPAIGNS: tuple[tuple[str, str, int, bool], ...] = (
    ("Welcome Series", "WhatsApp", 2, False),
    ("Promo Gajian", "WhatsApp", 6, False),
    ("Flash Sale Jumat", "WhatsApp", 10, False),
    ("Newsletter Mingguan", "Email", 12, False),
    ("Click-to-WhatsApp Ads: Produk Baru", "WhatsApp", 18, True),
    ("Reminder Keranjang", "WhatsApp", 25, False),
    ("Newsletter Bulanan", "Email", 33, False),
    ("Harbolnas 12.12", "WhatsApp", 48, True),
    ("Back to School", "Email", 75, False),
    ("Ramadan Berkah", "WhatsApp", 120, True),
    ("Lebaran Sale", "WhatsApp", 150, False),
    ("Survei Kepuasan", "Email", 200, False),
    ("Ulang Tahun Brand", "WhatsApp", 260, False),
    ("Year End Sale", "WhatsApp", 340, True),
)
CAMPAIGN_WEIGHTS = (14, 12, 12, 8, 7, 9, 6, 8, 5, 6, 5, 3, 3, 2)
DELIVERY_STATUSES = (("failed", 6), ("sent", 14), ("delivered", 35), ("read", 30), ("replied", 15))

# pipeline -> (stages with weights, stage -> outcome for the closing stages)
DEAL_PIPELINES: dict[str, tuple[tuple[tuple[str, int], ...], dict[str, str]]] = {
    "Sales B2C": ((("Lead In", 18), ("Contacted", 16), ("Proposal Sent", 10), ("Negotiation", 8),
                   ("Won", 30), ("Lost", 18)), {"Won": "won", "Lost": "lost"}),
    "Sales B2B": ((("Qualification", 15), ("Demo", 12), ("Proposal", 12), ("Negotiation", 10),
                   ("Closed Won", 28), ("Closed Lost", 23)), {"Closed Won": "won", "Closed Lost": "lost"}),
    "Renewal": ((("Renewal Due", 20), ("In Discussion", 20), ("Renewed", 45), ("Churned", 15)),
                {"Renewed": "won", "Churned": "lost"}),
}
DEAL_PIPELINE_WEIGHTS = (("Sales B2C", 60), ("Sales B2B", 28), ("Renewal", 12))
DEAL_APPROVALS = (("Approved", 40), ("Pending", 15), ("Rejected", 5), (None, 40))
PRIORITIES = (("Low", 30), ("Medium", 45), ("High", 20), (None, 5))

# pipeline -> stages with weights; the last stages listed in TICKET_DONE_STAGES are resolved
TICKET_PIPELINES: dict[str, tuple[tuple[str, int], ...]] = {
    "Customer Support": (("New", 10), ("In Progress", 14), ("Waiting on Customer", 8), ("Resolved", 40),
                         ("Closed", 28)),
    "Complaint Handling": (("Received", 12), ("Investigating", 15), ("Escalated", 8), ("Resolved", 65)),
    "Returns & Refunds": (("Requested", 12), ("Approved", 10), ("Item Received", 8), ("Refunded", 55),
                          ("Rejected", 15)),
}
TICKET_DONE_STAGES = frozenset({"Resolved", "Closed", "Refunded", "Rejected"})
TICKET_PIPELINE_WEIGHTS = (("Customer Support", 60), ("Complaint Handling", 25), ("Returns & Refunds", 15))
TICKET_PRIORITIES = (("Low", 25), ("Medium", 45), ("High", 22), ("Urgent", 8))
# Hours to resolve before the SLA is breached, by priority.
TICKET_SLA_HOURS = {"Low": 168, "Medium": 72, "High": 24, "Urgent": 4}
TICKET_CATEGORIES = (("Delivery", 22), ("Payment", 15), ("Damaged Product", 12), ("Refund", 10),
                     ("Product Inquiry", 20), ("Account", 8), ("Warranty", 7), (None, 6))

PAYMENT_METHODS = (("QRIS", 22), ("Bank Transfer", 18), ("GoPay", 14), ("OVO", 9), ("ShopeePay", 9),
                   ("DANA", 8), ("Virtual Account", 8), ("Credit Card", 6), ("COD", 4), (None, 2))
ORDER_STATUSES = (("completed", 78), ("cancelled", 10), ("pending", 12))
BOOKING_STATUSES = (("completed", 64), ("no_show", 14), ("cancelled", 13), ("pending", 9))

# Custom field definitions: one or more of every type the contract names.
CUSTOM_FIELDS: tuple[tuple[str, str, str, tuple[str, ...] | None], ...] = (
    ("favourite_product", "Favourite product", "single_line_text", None),
    ("member_code", "Member code", "single_line_text", None),
    ("notes", "Notes", "multi_line_text", None),
    ("preferred_language", "Preferred language", "dropdown",
     ("Bahasa Indonesia", "English", "Basa Jawa", "Basa Sunda")),
    ("preferred_contact_time", "Preferred contact time", "dropdown", ("Pagi", "Siang", "Sore", "Malam")),
    ("interests", "Interests", "multiple_selection",
     ("Fashion", "Kuliner", "Elektronik", "Otomotif", "Kecantikan", "Olahraga", "Travel", "Gadget")),
    ("household_size", "Household size", "number", None),
    ("monthly_budget", "Monthly budget (IDR)", "number", None),
    ("last_store_visit", "Last store visit", "date", None),
    ("contract_renewal", "Contract renewal date", "date", None),
    ("website", "Website", "url", None),
    ("id_card_scan", "ID card scan", "file_upload", None),
    ("purchase_receipts", "Purchase receipts", "file_upload", None),
    ("consent_signature", "Consent signature", "signature", None),
    ("store_location", "Store location (GPS)", "gps", None),
)
PRODUCTS = ("Kopi Susu Gula Aren", "Batik Tulis", "Sambal Bawang", "Tas Rotan", "Skincare Set", "Sepatu Lari",
            "Kaos Polos", "Headset Bluetooth", "Madu Hutan", "Teh Tarik", "Kemeja Flanel", "Rendang Kemasan")
NOTE_SENTENCES = (
    "Pelanggan lebih suka dihubungi lewat WhatsApp.",
    "Pernah komplain soal keterlambatan pengiriman.",
    "Tertarik dengan program reseller.",
    "Minta dikirim katalog terbaru setiap bulan.",
    "Prefers English for written communication.",
    "Sering belanja saat promo gajian.",
    "Asked for an invoice with company tax details.",
    "Alamat pengiriman kantor, bukan rumah.",
)
