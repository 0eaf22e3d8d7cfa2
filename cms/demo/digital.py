"""Demo course: digital transformation for commune cadres (the targets' demo counts it).

Five lessons on what the cadre of a commune does in the national digital transformation:
what it is, the National Public Service Portal, VNeID, digital signatures, and the
residents' data the commune keeps. Then a final quiz drawing 5 of its 18 questions.
"""

from .banks import q

WHAT = "Chuyển đổi số là gì"
PORTAL = "Cổng Dịch vụ công quốc gia"
VNEID = "VNeID và định danh điện tử"
SIGNATURE = "Chữ ký số"
DATA = "Dữ liệu và quyền riêng tư ở xã"

QUESTIONS = [
    q(
        "Chương trình Chuyển đổi số quốc gia dựa trên ba trụ cột nào?",
        [
            ("Chính phủ số, kinh tế số, xã hội số", True),
            ("Điện thoại, máy tính, Internet", False),
            ("Nông nghiệp, công nghiệp, dịch vụ", False),
            ("Tỉnh, xã, thôn", False),
        ],
        topic=WHAT,
        explanation=(
            "Chương trình Chuyển đổi số quốc gia (Quyết định 749/QĐ-TTg năm 2020) có ba trụ "
            "cột: chính phủ số, kinh tế số và xã hội số, lấy người dân làm trung tâm."
        ),
    ),
    q(
        "Ngày Chuyển đổi số quốc gia là ngày nào hằng năm?",
        [("10/10", True), ("2/9", False), ("1/1", False), ("19/5", False)],
        topic=WHAT,
        explanation="Ngày 10/10 hằng năm là Ngày Chuyển đổi số quốc gia (Quyết định 505/QĐ-TTg).",
    ),
    q(
        "Chuyển đổi số ở xã, điều quan trọng nhất là gì?",
        [
            (
                "Thay đổi cách làm việc để phục vụ người dân tốt hơn, không chỉ mua thêm máy móc",
                True,
            ),
            ("Mua thật nhiều máy tính cho trụ sở", False),
            ("Bắt mọi người dân tự làm thủ tục trên mạng, không hướng dẫn", False),
            ("Bỏ bộ phận một cửa của xã", False),
        ],
        topic=WHAT,
        explanation=(
            "Máy móc chỉ là công cụ; chuyển đổi số là đổi cách làm việc: ít giấy tờ, ít đi lại, "
            "thông tin chính xác, và không bỏ ai lại phía sau."
        ),
    ),
    q(
        "Tổ công nghệ số cộng đồng ở thôn làm gì?",
        [
            ("Hướng dẫn bà con cài, dùng ứng dụng và làm thủ tục trực tuyến", True),
            ("Thu tiền bà con để cài ứng dụng", False),
            ("Giữ hộ mật khẩu VNeID của bà con", False),
            ("Thay bà con ký giấy tờ", False),
        ],
        topic=WHAT,
        explanation=(
            "Tổ gồm cán bộ thôn, đoàn viên thanh niên, người có uy tín…, đến từng hộ hướng dẫn "
            "miễn phí; không bao giờ giữ hộ mật khẩu hay mã OTP của người dân."
        ),
    ),
    q(
        "Địa chỉ Cổng Dịch vụ công quốc gia là gì?",
        [
            ("dichvucong.gov.vn", True),
            ("dichvucong.com", False),
            ("dichvucong-gov.vn", False),
            ("dvc.vn.net", False),
        ],
        topic=PORTAL,
        explanation=(
            "Trang của cơ quan nhà nước có đuôi .gov.vn. Địa chỉ gần giống nhưng sai chữ, thêm "
            "dấu gạch hoặc đuôi lạ là trang giả."
        ),
    ),
    q(
        "Dịch vụ công trực tuyến “toàn trình” là gì?",
        [
            ("Nộp hồ sơ, trả phí và nhận kết quả đều trên mạng, không phải đến cơ quan", True),
            ("Chỉ xem được thông tin thủ tục trên mạng", False),
            ("Nộp trên mạng nhưng vẫn phải mang hồ sơ giấy đến nộp lại", False),
            ("Dịch vụ chỉ dành cho doanh nghiệp", False),
        ],
        topic=PORTAL,
        explanation=(
            "Toàn trình: mọi bước làm trên mạng. Dịch vụ “một phần” thì có bước người dân vẫn "
            "phải đến nộp giấy tờ hoặc nhận kết quả trực tiếp."
        ),
    ),
    q(
        "Người dân muốn biết hồ sơ nộp trực tuyến đang được giải quyết đến đâu. Họ cần gì?",
        [
            ("Mã hồ sơ nhận được khi nộp", True),
            ("Số điện thoại của chủ tịch xã", False),
            ("Mật khẩu của cán bộ một cửa", False),
            ("Nộp lại hồ sơ một lần nữa", False),
        ],
        topic=PORTAL,
        explanation=(
            "Mã hồ sơ dùng để tra cứu tình trạng trên Cổng; nộp trùng nhiều lần chỉ làm chậm "
            "việc giải quyết."
        ),
    ),
    q(
        "Kết quả thủ tục hành chính bản điện tử (có ký số của cơ quan) có giá trị thế nào?",
        [
            ("Có giá trị pháp lý như bản giấy", True),
            ("Chỉ để xem, phải đổi sang bản giấy mới dùng được", False),
            ("Chỉ có giá trị trong 30 ngày", False),
            ("Chỉ dùng được trên điện thoại", False),
        ],
        topic=PORTAL,
        explanation=(
            "Kết quả bản điện tử do cơ quan có thẩm quyền ký số có giá trị pháp lý như bản giấy, "
            "người dân lưu vào kho dữ liệu cá nhân để dùng lại."
        ),
    ),
    q(
        "Sau khi nhận kết quả trên Cổng, người dân có thể làm gì để giúp xã phục vụ tốt hơn?",
        [
            ("Đánh giá mức độ hài lòng và gửi phản ánh, kiến nghị", True),
            ("Nộp thêm lệ phí cảm ơn", False),
            ("Chia sẻ mã OTP cho cán bộ", False),
            ("Xoá tài khoản VNeID", False),
        ],
        topic=PORTAL,
        explanation=(
            "Cổng có chức năng đánh giá và phản ánh, kiến nghị; kết quả đánh giá được dùng để "
            "đo chất lượng phục vụ của từng cơ quan."
        ),
    ),
    q(
        "Tài khoản VNeID mức 2 khác mức 1 ở điểm nào?",
        [
            (
                "Đăng ký tại công an xã, có ảnh chân dung và vân tay, dùng được đầy đủ tính năng",
                True,
            ),
            ("Phải trả phí hằng tháng", False),
            ("Ai cũng tự nâng lên được qua đường link", False),
            ("Chỉ dùng được trên máy tính", False),
        ],
        topic=VNEID,
        explanation=(
            "Mức 1 tự đăng ký trên ứng dụng; mức 2 đăng ký tại công an xã và dùng được đầy đủ: "
            "thẻ căn cước điện tử, tích hợp giấy tờ, làm thủ tục trực tuyến."
        ),
    ),
    q(
        "Trên VNeID mức 2 có thể tích hợp những giấy tờ nào? (Chọn tất cả đáp án đúng)",
        [
            ("Thẻ bảo hiểm y tế", True),
            ("Giấy phép lái xe", True),
            ("Thẻ căn cước điện tử", True),
            ("Sổ tiết kiệm ngân hàng kèm mã PIN", False),
        ],
        kind="multiple",
        topic=VNEID,
        explanation=(
            "VNeID tích hợp thẻ căn cước điện tử, thẻ bảo hiểm y tế, giấy phép lái xe… để xuất "
            "trình thay bản giấy; không có chức năng giữ mã PIN ngân hàng."
        ),
    ),
    q(
        "Một người dân nhờ cán bộ “đăng nhập VNeID hộ” để nộp hồ sơ. Cán bộ nên làm gì?",
        [
            ("Hướng dẫn người dân tự đăng nhập trên điện thoại của họ", True),
            ("Xin mật khẩu và mã bảo vệ để làm hộ cho nhanh", False),
            ("Dùng tài khoản VNeID của cán bộ để nộp thay", False),
            ("Chụp lại mật khẩu để lần sau dùng", False),
        ],
        topic=VNEID,
        explanation=(
            "Tài khoản VNeID là danh tính của chính người dân; cán bộ hướng dẫn từng bước, "
            "không hỏi, không ghi lại mật khẩu hay mã bảo vệ của ai."
        ),
    ),
    q(
        "Chữ ký số khác ảnh chụp (scan) chữ ký tay ở điểm nào?",
        [
            ("Chữ ký số xác thực người ký và phát hiện mọi sửa đổi văn bản sau khi ký", True),
            ("Không khác gì, chỉ là ảnh chữ ký dán vào văn bản", False),
            ("Chữ ký số chỉ dùng được trên giấy", False),
            ("Ai cũng dùng chung một chữ ký số của xã", False),
        ],
        topic=SIGNATURE,
        explanation=(
            "Ảnh chữ ký ai cũng sao chép được. Chữ ký số dùng cặp khoá mật mã gắn với người ký: "
            "văn bản bị sửa một chữ sau khi ký là chữ ký không còn hợp lệ."
        ),
    ),
    q(
        "Khoá bí mật hoặc mã PIN của chữ ký số cá nhân nên giữ thế nào?",
        [
            ("Chỉ người ký biết và giữ, không giao cho người khác ký hộ", True),
            ("Giao cho văn thư ký hộ khi đi vắng", False),
            ("Dán mã PIN lên máy tính cho nhớ", False),
            ("Gửi mã PIN qua nhóm Zalo của cơ quan", False),
        ],
        topic=SIGNATURE,
        explanation=(
            "Ai có khoá và mã PIN là ký được với tên bạn, và chữ ký đó có giá trị pháp lý như "
            "chữ ký tay của bạn."
        ),
    ),
    q(
        "Văn bản điện tử của cơ quan được ký số đúng quy định có giá trị thế nào?",
        [
            ("Có giá trị pháp lý như bản gốc văn bản giấy", True),
            ("Phải in ra đóng dấu mới có giá trị", False),
            ("Chỉ là bản nháp", False),
            ("Chỉ dùng trong nội bộ xã", False),
        ],
        topic=SIGNATURE,
        explanation=(
            "Văn bản điện tử có chữ ký số của người có thẩm quyền và của cơ quan có giá trị "
            "pháp lý như bản gốc văn bản giấy, nên không cần in ra ký lại."
        ),
    ),
    q(
        "Dữ liệu dân cư mà xã cập nhật cần đạt yêu cầu nào?",
        [
            ("Đúng, đủ, sạch, sống", True),
            ("Nhiều, nhanh, rẻ", False),
            ("Đẹp, dài, đầy đủ ảnh", False),
            ("Giữ kín, không cập nhật", False),
        ],  # fmt: skip
        topic=DATA,
        explanation=(
            "Dữ liệu “đúng, đủ, sạch, sống”: chính xác, không thiếu, không trùng lặp, và luôn "
            "được cập nhật khi người dân sinh, mất, chuyển đi, chuyển đến."
        ),
    ),
    q(
        "Thông tin nào là dữ liệu cá nhân nhạy cảm, cần bảo vệ chặt hơn? (Chọn tất cả đáp án đúng)",
        [
            ("Tình trạng sức khoẻ", True),
            ("Nguồn gốc dân tộc", True),
            ("Thông tin tài khoản ngân hàng", True),
            ("Tên thôn nơi tổ chức họp", False),
        ],
        kind="multiple",
        topic=DATA,
        explanation=(
            "Sức khoẻ, nguồn gốc dân tộc, tài khoản ngân hàng… là dữ liệu nhạy cảm: lộ ra có thể "
            "gây hại lớn cho người dân, nên chỉ người có trách nhiệm được xem."
        ),
    ),
    q(
        "Xã cần danh sách người cao tuổi để tổ chức khám sức khoẻ. Thu thập thế nào là đúng?",
        [
            ("Chỉ hỏi những thông tin cần cho việc khám, nói rõ mục đích cho người dân", True),
            ("Hỏi thêm số tài khoản ngân hàng cho đủ hồ sơ", False),
            ("Chụp thẻ căn cước của mọi người trong nhà", False),
            ("Đăng danh sách lên nhóm Zalo thôn để mọi người bổ sung", False),
        ],
        topic=DATA,
        explanation=(
            "Thu thập đúng mục đích và tối thiểu: chỉ những thông tin cần cho việc đó, người "
            "dân được biết dữ liệu dùng để làm gì."
        ),
    ),
]

DIGITAL_TRANSFORMATION = {
    "slug": "chuyen-doi-so-co-ban",
    "title": "Chuyển đổi số cho cán bộ cơ sở",
    "topic": "digital-transformation",
    "level": "beginner",
    "language": "vi",
    "pass_mark": 70,
    "summary": (
        "Chuyển đổi số ở xã là gì, hướng dẫn người dân dùng Cổng Dịch vụ công quốc gia và "
        "VNeID, ký số văn bản, và giữ an toàn dữ liệu của bà con. Dành cho cán bộ, công chức "
        "cấp xã, trưởng thôn và người có uy tín."
    ),
    "description": (
        "<p>Khoá học ngắn cho những người đưa chuyển đổi số về tới thôn, làng: cán bộ, công "
        "chức xã, trưởng thôn, người có uy tín và thành viên tổ công nghệ số cộng đồng. Mỗi "
        "bài gắn với việc làm hằng ngày ở xã.</p><h3>Bạn sẽ học được</h3><ul><li>Chuyển đổi "
        "số là gì và cán bộ cơ sở làm gì trong đó</li><li>Hướng dẫn người dân nộp hồ sơ trên "
        "Cổng Dịch vụ công quốc gia</li><li>Giúp người dân kích hoạt và dùng VNeID an "
        "toàn</li><li>Ký số văn bản và hiểu giá trị của văn bản điện tử</li><li>Thu thập, "
        "lưu giữ và chia sẻ dữ liệu của bà con đúng luật</li></ul>"
    ),
    "lessons": [
        {
            "slug": "chuyen-doi-so-la-gi",
            "title": "Chuyển đổi số là gì?",
            "summary": (
                "Ba trụ cột chính phủ số, kinh tế số, xã hội số và việc của cán bộ xã, thôn "
                "trong chuyển đổi số."
            ),
            "body": [
                (
                    "text",
                    (
                        "<h2>Không chỉ là mua máy tính</h2><p>Chuyển đổi số là thay đổi cách "
                        "làm việc và cách sống nhờ công nghệ số: người dân làm thủ tục không "
                        "phải đi lại nhiều lần, cán bộ không phải nhập đi nhập lại một thông "
                        "tin, hộ kinh doanh bán được hàng xa hơn. Máy tính, điện thoại chỉ là "
                        "công cụ; điều quan trọng là cách làm việc thay đổi.</p><p>Chương trình "
                        "Chuyển đổi số quốc gia (Quyết định 749/QĐ-TTg năm 2020) có ba trụ "
                        "cột:</p><ul><li><b>Chính phủ số</b>: cơ quan nhà nước làm việc và phục "
                        "vụ người dân trên môi trường số – dịch vụ công trực tuyến, văn bản "
                        "điện tử, dữ liệu dùng chung.</li><li><b>Kinh tế số</b>: sản xuất, buôn "
                        "bán, thanh toán trên môi trường số – bán nông sản qua mạng, trả tiền "
                        "bằng mã QR.</li><li><b>Xã hội số</b>: người dân có kỹ năng số để học "
                        "tập, khám bệnh, giữ an toàn trên mạng.</li></ul><p>Ngày "
                        "<b>10/10</b> hằng năm là Ngày Chuyển đổi số quốc gia (Quyết định "
                        "505/QĐ-TTg năm 2022).</p>"
                    ),
                ),
                (
                    "text",
                    (
                        "<h2>Việc của cán bộ cơ sở</h2><p>Phần lớn người dân gặp chính quyền ở "
                        "xã, nên chuyển đổi số thành hay không là ở xã, ở thôn:</p><ul><li><b>"
                        "Hướng dẫn</b> người dân dùng dịch vụ công trực tuyến, VNeID, thanh "
                        "toán không dùng tiền mặt.</li><li><b>Làm đúng trên hệ thống</b>: nhận "
                        "và trả hồ sơ trên hệ thống một cửa điện tử, ký số văn bản, cập nhật "
                        "dữ liệu dân cư.</li><li><b>Giữ an toàn</b> dữ liệu của bà con và "
                        "tài khoản công việc của mình.</li><li><b>Không bỏ ai lại phía "
                        "sau</b>: người cao tuổi, người không có điện thoại thông minh, người "
                        "chưa thạo tiếng Việt vẫn được phục vụ trực tiếp tại bộ phận một "
                        "cửa.</li></ul><p>Ở mỗi thôn, <b>tổ công nghệ số cộng đồng</b> (trưởng "
                        "thôn, đoàn viên thanh niên, người có uy tín…) đến từng hộ hướng dẫn "
                        "miễn phí. Tổ không bao giờ giữ hộ mật khẩu, mã OTP hay điện thoại của "
                        "người dân.</p>"
                    ),
                ),
                (
                    "callout",
                    {
                        "kind": "example",
                        "title": "Ví dụ: một buổi sáng ở xã Ia Grai",
                        "text": (
                            "<p>Trước đây, ông K. phải đi xe máy 15 km lên xã hai lần để xin "
                            "một giấy xác nhận. Nay cháu ông, đoàn viên trong tổ công nghệ số "
                            "cộng đồng, giúp ông đăng nhập VNeID và nộp hồ sơ trên Cổng Dịch "
                            "vụ công ngay tại nhà. Cán bộ một cửa nhận hồ sơ trên hệ thống, "
                            "trình ký số, và ông nhận kết quả điện tử trên điện thoại.</p>"
                        ),
                    },
                ),
            ],
        },
        {
            "slug": "cong-dich-vu-cong-quoc-gia",
            "title": "Cổng Dịch vụ công quốc gia và dịch vụ công trực tuyến",
            "summary": (
                "Dịch vụ công trực tuyến toàn trình và một phần, các bước hướng dẫn người dân "
                "nộp hồ sơ, tra cứu, nhận kết quả và đánh giá."
            ),
            "body": [
                (
                    "text",
                    (
                        "<h2>Cổng Dịch vụ công quốc gia</h2><p>Tại <b>dichvucong.gov.vn</b>, "
                        "người dân và doanh nghiệp tìm thủ tục, nộp hồ sơ, trả phí, theo dõi "
                        "và nhận kết quả. Trang của cơ quan nhà nước luôn có đuôi "
                        "<b>.gov.vn</b>; địa chỉ gần giống nhưng sai chữ, thêm dấu gạch hoặc "
                        "có đuôi lạ là trang giả.</p><p>Có hai loại dịch vụ công trực "
                        "tuyến:</p><ul><li><b>Toàn trình</b>: mọi bước – nộp hồ sơ, trả phí, "
                        "nhận kết quả – đều làm trên mạng.</li><li><b>Một phần</b>: có bước "
                        "người dân vẫn phải đến nộp giấy tờ gốc hoặc nhận kết quả trực "
                        "tiếp.</li></ul>"
                    ),
                ),
                (
                    "text",
                    (
                        "<h2>Hướng dẫn người dân nộp một hồ sơ</h2><ol><li><b>Đăng nhập</b> "
                        "bằng tài khoản định danh điện tử VNeID của chính người dân.</li><li>"
                        "<b>Tìm thủ tục</b>, chọn đúng cơ quan giải quyết (thường là UBND "
                        "xã).</li><li><b>Điền tờ khai</b>: nhiều thông tin tự điền từ Cơ sở dữ "
                        "liệu quốc gia về dân cư; đọc lại cùng người dân.</li><li><b>Đính kèm "
                        "giấy tờ</b> chụp rõ nét hoặc lấy từ kho dữ liệu cá nhân nếu đã "
                        "có.</li><li><b>Trả phí, lệ phí</b> trực tuyến nếu có, rồi nộp.</li>"
                        "<li><b>Ghi lại mã hồ sơ</b> để tra cứu tình trạng giải quyết.</li>"
                        "</ol><p>Kết quả bản điện tử do cơ quan có thẩm quyền ký số có "
                        "<b>giá trị pháp lý như bản giấy</b>. Người dân lưu vào kho dữ liệu cá "
                        "nhân trên Cổng để lần sau không phải nộp lại.</p><p>Sau khi nhận kết "
                        "quả, mời người dân <b>đánh giá mức độ hài lòng</b>; nếu có vướng mắc, "
                        "họ gửi <b>phản ánh, kiến nghị</b> ngay trên Cổng.</p>"
                    ),
                ),
                (
                    "callout",
                    {
                        "kind": "tip",
                        "title": "Hướng dẫn, không làm hộ",
                        "text": (
                            "<p>Để người dân tự bấm trên điện thoại của họ, cán bộ chỉ từng "
                            "bước. Lần sau họ tự làm được, và tài khoản của họ không bao giờ "
                            "qua tay người khác. Ai chưa làm được trên mạng vẫn được nhận hồ "
                            "sơ trực tiếp tại bộ phận một cửa.</p>"
                        ),
                    },
                ),
            ],
        },
        {
            "slug": "vneid-va-dinh-danh-dien-tu",
            "title": "VNeID và định danh điện tử",
            "summary": (
                "Tài khoản mức 1 và mức 2, giấy tờ tích hợp, và cách giúp người dân dùng "
                "VNeID an toàn."
            ),
            "body": [
                (
                    "text",
                    (
                        "<h2>Danh tính trên điện thoại</h2><p>VNeID là ứng dụng định danh điện "
                        "tử của Bộ Công an (Nghị định 69/2024/NĐ-CP về định danh và xác thực "
                        "điện tử). Tài khoản VNeID là chìa khoá đăng nhập Cổng Dịch vụ công "
                        "quốc gia và nhiều dịch vụ khác.</p><ul><li><b>Mức 1</b>: người dân "
                        "tự đăng ký trên ứng dụng, dùng được một số tính năng.</li><li><b>Mức "
                        "2</b>: đăng ký tại công an xã, có ảnh chân dung và vân tay; dùng được "
                        "đầy đủ – thẻ căn cước điện tử, tích hợp thẻ bảo hiểm y tế, giấy phép "
                        "lái xe, làm thủ tục trực tuyến.</li></ul><p>Giấy tờ đã tích hợp được "
                        "xuất trình trên ứng dụng thay cho bản giấy, ví dụ khi đi khám bệnh "
                        "bằng bảo hiểm y tế.</p>"
                    ),
                ),
                (
                    "text",
                    (
                        "<h2>Giúp người dân dùng VNeID an toàn</h2><ul><li>Chỉ tải VNeID từ "
                        "CH Play hoặc App Store, đúng nhà phát triển thuộc Bộ Công an.</li>"
                        "<li>Mật khẩu và mã bảo vệ 6 số do <b>chính người dân</b> đặt và giữ. "
                        "Cán bộ, tổ công nghệ số không hỏi, không ghi lại, không đăng nhập "
                        "hộ.</li><li>Công an không gọi điện để “kích hoạt hộ”, “nâng cấp mức "
                        "2” và không gửi đường link cài ứng dụng. Ai làm vậy là kẻ lừa "
                        "đảo.</li><li>Đổi điện thoại hay quên mật khẩu: hướng dẫn người dân "
                        "làm theo chức năng của ứng dụng hoặc đến công an xã.</li></ul>"
                    ),
                ),
                (
                    "callout",
                    {
                        "kind": "warning",
                        "title": "Không dùng một tài khoản cho nhiều người",
                        "text": (
                            "<p>Mỗi tài khoản VNeID là danh tính của một người. Nộp hồ sơ cho "
                            "người khác bằng tài khoản của mình, hay giữ hộ tài khoản của bà "
                            "con, là làm sai lệch hồ sơ và có thể bị kẻ gian lợi dụng.</p>"
                        ),
                    },
                ),
            ],
        },
        {
            "slug": "chu-ky-so",
            "title": "Chữ ký số và văn bản điện tử",
            "summary": (
                "Chữ ký số khác chữ ký scan thế nào, giá trị của văn bản điện tử ký số và cách "
                "giữ an toàn chữ ký số của mình."
            ),
            "body": [
                (
                    "text",
                    (
                        "<h2>Chữ ký số là gì?</h2><p>Chữ ký số là một loại chữ ký điện tử dùng "
                        "mật mã: mỗi người ký có một cặp khoá, khoá bí mật để ký và khoá công "
                        "khai để ai cũng kiểm tra được. Nhờ vậy chữ ký số cho biết "
                        "<b>ai đã ký</b> và <b>văn bản có bị sửa sau khi ký không</b>: sửa "
                        "một chữ là chữ ký không còn hợp lệ (Luật Giao dịch điện tử năm "
                        "2023).</p><p><b>Ảnh chụp chữ ký tay</b> dán vào văn bản không phải "
                        "chữ ký số: ai cũng sao chép được và không chứng minh được gì.</p><p>"
                        "Cơ quan nhà nước dùng chứng thư chữ ký số chuyên dùng do Ban Cơ yếu "
                        "Chính phủ cấp; người dân và hộ kinh doanh có thể dùng chữ ký số công "
                        "cộng, kể cả ký từ xa trên điện thoại.</p>"
                    ),
                ),
                (
                    "text",
                    (
                        "<h2>Văn bản điện tử ở xã</h2><p>Văn bản điện tử có chữ ký số của người "
                        "có thẩm quyền và của cơ quan đúng quy định có <b>giá trị pháp lý như "
                        "bản gốc văn bản giấy</b>. Vì vậy không cần in ra, ký tay, đóng dấu "
                        "rồi quét lại.</p><h3>Giữ an toàn chữ ký số</h3><ul><li>Thiết bị ký "
                        "(USB token, SIM ký số) và mã PIN chỉ người ký giữ; <b>không giao cho "
                        "người khác ký hộ</b>, kể cả văn thư.</li><li>Không dán mã PIN lên "
                        "máy, không gửi mã PIN qua Zalo.</li><li>Mất thiết bị hoặc nghi lộ mã "
                        "PIN: báo ngay cho đơn vị cấp để thu hồi chứng thư.</li><li>Đọc kỹ "
                        "văn bản trước khi ký: chữ ký số có giá trị như chữ ký tay của "
                        "bạn.</li></ul>"
                    ),
                ),
            ],
        },
        {
            "slug": "du-lieu-va-quyen-rieng-tu-o-xa",
            "title": "Dữ liệu và quyền riêng tư ở cấp xã",
            "summary": (
                "Dữ liệu dân cư đúng, đủ, sạch, sống; dữ liệu cá nhân nhạy cảm; thu thập, lưu "
                "giữ và chia sẻ dữ liệu của bà con đúng luật."
            ),
            "body": [
                (
                    "text",
                    (
                        "<h2>Dữ liệu là tài sản của xã</h2><p>Từ danh sách hộ đến hồ sơ một "
                        "cửa, xã giữ rất nhiều dữ liệu của người dân. Theo Đề án 06 về dữ liệu "
                        "dân cư và định danh điện tử, dữ liệu dân cư phải <b>đúng, đủ, sạch, "
                        "sống</b>: chính xác, không thiếu, không trùng lặp, và luôn được cập "
                        "nhật khi có người sinh, mất, chuyển đi, chuyển đến. Dữ liệu tốt thì "
                        "người dân không phải khai đi khai lại, và số liệu báo cáo mới "
                        "đúng.</p><p>Luật Dữ liệu (có hiệu lực từ 1/7/2025) và Luật Bảo vệ dữ "
                        "liệu cá nhân (có hiệu lực từ 1/1/2026) đặt ra các nguyên tắc cơ quan "
                        "nhà nước phải theo.</p>"
                    ),
                ),
                (
                    "text",
                    (
                        "<h2>Thu thập, lưu giữ, chia sẻ đúng cách</h2><ul><li><b>Đúng mục "
                        "đích, tối thiểu</b>: chỉ hỏi những thông tin cần cho việc đang làm, "
                        "nói rõ cho người dân dữ liệu dùng để làm gì.</li><li><b>Dữ liệu nhạy "
                        "cảm</b> – sức khoẻ, nguồn gốc dân tộc, tôn giáo, tài khoản ngân "
                        "hàng… – chỉ người có trách nhiệm được xem.</li><li><b>Không đăng</b> "
                        "danh sách có số căn cước, ngày sinh, số điện thoại lên nhóm Zalo "
                        "chung; gửi riêng cho người cần.</li><li><b>Máy tính, điện thoại công "
                        "việc</b> có khoá màn hình, mật khẩu riêng; sao lưu dữ liệu; huỷ bản "
                        "giấy khi không còn dùng.</li><li><b>Khi lộ dữ liệu</b> (mất máy, gửi "
                        "nhầm nhóm): báo ngay cho lãnh đạo xã để xử lý, đừng giấu.</li></ul>"
                    ),
                ),
                (
                    "callout",
                    {
                        "kind": "example",
                        "title": "Ví dụ: danh sách khám sức khoẻ người cao tuổi",
                        "text": (
                            "<p>Trạm y tế cần danh sách người từ 60 tuổi để khám. Trưởng thôn "
                            "chỉ ghi họ tên, năm sinh, thôn và số điện thoại liên lạc – không "
                            "chụp căn cước, không hỏi số tài khoản – rồi gửi riêng cho trạm y "
                            "tế, không đăng lên nhóm Zalo của thôn.</p>"
                        ),
                    },
                ),
            ],
        },
        {
            "slug": "bai-kiem-tra-cuoi-khoa",
            "title": "Bài kiểm tra cuối khoá",
            "summary": (
                "Mỗi lượt 5 câu hỏi rút ngẫu nhiên từ 18 câu về năm bài học. Đạt 70% trở lên "
                "để hoàn thành khoá và nhận chứng chỉ."
            ),
            "body": [
                (
                    "text",
                    (
                        "<p>Mỗi lượt làm bài gồm 5 câu hỏi rút ngẫu nhiên từ ngân hàng câu "
                        "hỏi về năm bài học trước. Câu nào ghi <b>chọn tất cả đáp án đúng</b> "
                        "thì có thể có nhiều đáp án đúng. Bạn có 3 lượt; nếu chưa đạt, hãy ôn "
                        "lại các chủ đề được gợi ý rồi làm lượt sau.</p>"
                    ),
                ),
                (
                    "quiz",
                    {
                        "title": "Bài kiểm tra cuối khoá",
                        "intro": "Chọn câu trả lời đúng. Bạn cần đạt 70% để hoàn thành khoá học.",
                        "draw": 5,
                        "questions": QUESTIONS,
                    },
                ),
            ],
        },
    ],
}
