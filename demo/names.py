"""Names, schools and qualifications for the Bhutan-like demo data.

Most Bhutanese carry two given names and no family name (Sonam Choden, Karma Wangchuk); the
second is stored as `last_name`, as the civil-service HR system does, and a few people carry a
single name. Southern Bhutanese (Lhotshampa) names have a family name and often a middle name.
"""

# Given names used by men and women alike: the first of the two names.
SHARED_FIRST = [
    "Karma", "Pema", "Sonam", "Tshering", "Kinley", "Ugyen", "Jigme", "Tashi", "Namgay", "Yeshi", "Chimi",
    "Dechen", "Sangay", "Phuntsho", "Nima", "Kuenga", "Dawa", "Kinzang", "Sherab", "Ngawang", "Tandin",
    "Leki", "Passang", "Rinchen", "Thinley", "Dorji", "Tenzin", "Choki", "Lhakpa", "Norbu",
]  # fmt: skip
# Second names that mark the bearer as a man or a woman.
MALE_SECOND = [
    "Dorji", "Wangchuk", "Tenzin", "Namgyel", "Tobgay", "Rinzin", "Penjor", "Jamtsho", "Gyeltshen", "Wangdi",
    "Tshering", "Phuntsho", "Norbu", "Dendup", "Thinley", "Rabten", "Samdrup", "Tashi", "Choephel", "Lhendup",
    "Nidup", "Gyamtsho", "Chophel", "Drukpa", "Tshewang", "Letho", "Yonten", "Zangpo",
]  # fmt: skip
FEMALE_SECOND = [
    "Choden", "Wangmo", "Yangzom", "Lhamo", "Dema", "Zangmo", "Pelden", "Dolma", "Yangchen", "Seldon",
    "Tshomo", "Lhaden", "Eden", "Dechen", "Pem", "Choki", "Yuden", "Deki", "Bidha", "Om", "Wangzom",
    "Peldon", "Selden", "Tshoki",
]  # fmt: skip
# Three-part Bhutanese names (Ugyen Tshering Dorji) take a middle name from this list.
MIDDLE = ["Tshering", "Dorji", "Wangchuk", "Tenzin", "Norbu", "Gyeltshen", "Phuntsho"]

LHOTSHAMPA_MALE_FIRST = ["Bishal", "Hari", "Dil", "Ram", "Kamal", "Sanjay", "Suraj", "Bikash", "Rupesh", "Krishna"]
LHOTSHAMPA_FEMALE_FIRST = ["Sita", "Ganga", "Tika", "Radhika", "Sabitri", "Bhagi", "Menuka", "Sarita"]
LHOTSHAMPA_MALE_MIDDLE = ["Prasad", "Kumar", "Bahadur", ""]
LHOTSHAMPA_FEMALE_MIDDLE = ["Maya", "Devi", "Kumari", ""]
LHOTSHAMPA_FAMILY = [
    "Sharma", "Gurung", "Rai", "Subba", "Tamang", "Chhetri", "Ghalley", "Pradhan", "Adhikari", "Mongar",
    "Dahal", "Timsina", "Giri", "Powdyel",
]  # fmt: skip

# Qualifications: (level, field). Diploma holders enter at S5, graduates at P5.
DIPLOMA_FIELDS = ["Computer Science", "Information Technology", "Electronics and Communication Engineering"]
BACHELOR_FIELDS = [
    "Information Technology",
    "Computer Science",
    "Computer Engineering",
    "Electronics and Communication Engineering",
    "Computer Applications",
    "Software Engineering",
]
MASTER_FIELDS = [
    "Information Technology",
    "Computer Science",
    "Information Systems",
    "Cybersecurity",
    "Data Science",
    "Public Administration",
    "Business Administration",
    "Telecommunications",
]
PG_DIPLOMA_FIELDS = ["Public Administration", "Financial Management", "Project Management"]
CERTIFICATES = [
    "Cisco Certified Network Associate",
    "Certified Information Systems Security Professional",
    "ITIL Foundation",
    "PRINCE2 Foundation",
    "AWS Certified Solutions Architect",
    "Oracle Certified Professional",
]

# (institution, country)
DIPLOMA_SCHOOLS = [
    ("Jigme Namgyel Engineering College", "Bhutan"),
    ("College of Science and Technology", "Bhutan"),
    ("Royal Institute of Management", "Bhutan"),
]
BACHELOR_SCHOOLS = [
    ("Gyalpozhing College of Information Technology", "Bhutan"),
    ("College of Science and Technology", "Bhutan"),
    ("Sherubtse College", "Bhutan"),
    ("Vellore Institute of Technology", "India"),
    ("Manipal Institute of Technology", "India"),
    ("Sikkim Manipal Institute of Technology", "India"),
    ("Asian Institute of Technology", "Thailand"),
    ("Kathmandu University", "Nepal"),
]
MASTER_SCHOOLS = [
    ("University of Canberra", "Australia"),
    ("Deakin University", "Australia"),
    ("University of New England", "Australia"),
    ("Asian Institute of Technology", "Thailand"),
    ("Keio University", "Japan"),
    ("University of Tsukuba", "Japan"),
    ("National University of Singapore", "Singapore"),
    ("Royal Thimphu College", "Bhutan"),
]
PG_DIPLOMA_SCHOOLS = [("Royal Institute of Management", "Bhutan")]
CERTIFICATE_SCHOOLS = [("", "")]
