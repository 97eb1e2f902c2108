"""The generated corpus: every capability, every way of naming its target, both languages.

The parts are those of the agent's grammar: target forms (a device's name, its area and type
word, the bare type word where it is the only one of its kind, the type word heard by a
satellite in its room, a type word that needs a question back, the first person, "all") and
capabilities with two or three phrasings each. Every case is a sentence, the language, and
what must follow: a device property in the simulator (a value, or a change up or down), the
words the answer must hold, and optionally the simulated device whose room the satellite is in.

The homes are simulator/homes/real_zh.yaml and real_en.yaml, named as their users named them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

ZH = "zh-Hans"
EN = "en"


@dataclass(frozen=True)
class Target:
    """One device of a home and the words that name it."""

    id: str
    name: str
    room: str | None
    type_word: str
    unique_type: bool
    unique_in_room: bool
    satellite: str | None = None
    """A device in the same room as this one, heard by which the bare type word means this."""


@dataclass(frozen=True)
class Capability:
    """What can be asked of a device, in each language, and how to check it was done."""

    name: str
    phrasings: dict[str, tuple[str, ...]]
    expect: dict[str, Any]
    devices: tuple[str, ...]
    answer: dict[str, tuple[str, ...]] = field(default_factory=dict)


ZH_TARGETS = (
    Target("living-room-light", "客厅吸顶灯", "客厅", "灯", False, True, "living-room-tv"),
    Target("study-lamp", "台灯", "书房", "灯", False, True, "xiaoai-pro"),
    Target("bedside-lamp", "床头灯", "主卧", "灯", False, True, "master-bedroom-ac"),
    Target("living-room-ac", "客厅空调", "客厅", "空调", False, True, "living-room-tv"),
    Target("master-bedroom-ac", "主卧空调", "主卧", "空调", False, True, "bedside-lamp"),
    Target("living-room-tv", "客厅电视", "客厅", "电视", True, True),
    Target("xiaoai-pro", "小爱音箱Pro", "书房", "音箱", True, True),
    Target("front-door", "大门", "玄关", "门锁", True, True),
    Target("purifier", "空气净化器", "客厅", "空气净化器", True, True),
    Target("second-bedroom-fan", "落地扇", "次卧", "风扇", True, True),
    Target("curtain", "客厅窗帘", "客厅", "窗帘", True, True),
)
EN_TARGETS = (
    Target(
        "living-room-light",
        "Living Room Light",
        "Living Room",
        "light",
        False,
        True,
        "living-room-tv",
    ),
    Target("office-lamp", "Desk lamp", "Office", "light", False, True),
    Target("bedside-lamp", "Bedside lamp", "Bedroom", "light", False, True, "bedroom-ac"),
    Target("living-room-ac", "Living Room AC", "Living Room", "ac", False, True, "living-room-tv"),
    Target("bedroom-ac", "Bedroom AC", "Bedroom", "ac", False, True, "bedside-lamp"),
    Target("living-room-tv", "Living Room TV", "Living Room", "tv", True, True),
    Target("kitchen-speaker", "Kitchen speaker", "Kitchen", "speaker", True, True),
    Target("front-door", "Front door", "Hallway", "lock", True, True),
    Target("purifier", "Air purifier", "Living Room", "air purifier", True, True),
    Target("kids-room-fan", "Kids room fan", "Kids Room", "fan", True, True),
    Target("curtain", "Living room curtains", "Living Room", "curtains", True, True),
)
TARGETS = {ZH: ZH_TARGETS, EN: EN_TARGETS}

LIGHTS_ON = ("living-room-light", "study-lamp", "office-lamp")
"""Lights that are on at the start: they can be turned off, dimmed, brightened."""
LIGHTS_OFF = ("bedside-lamp",)
ACS_ON = ("living-room-ac",)
ACS_OFF = ("master-bedroom-ac", "bedroom-ac")
ACS = ACS_ON + ACS_OFF


def _device(id_: str, **check: Any) -> dict[str, Any]:
    return {"device": {"id": id_, **check}}


CAPABILITIES: tuple[Capability, ...] = (
    Capability(
        "light_off",
        {
            ZH: ("关掉{t}", "把{t}关了", "{t}关一下", "关闭{t}"),
            EN: ("turn off {t}", "switch {t} off", "turn {t} off"),
        },
        {"property": "light.on", "value": False},
        LIGHTS_ON,
    ),
    Capability(
        "light_on",
        {
            ZH: ("打开{t}", "把{t}打开", "开一下{t}", "{t}打开"),
            EN: ("turn on {t}", "switch {t} on", "turn {t} on"),
        },
        {"property": "light.on", "value": True},
        LIGHTS_OFF,
    ),
    Capability(
        "brightness_set",
        {
            ZH: ("把{t}亮度调到50%", "{t}亮度调到百分之五十"),
            EN: (
                "set {t} brightness to 50%",
                "set the brightness of {t} to 50 percent",
                "dim {t} to 50%",
            ),
        },
        {"property": "light.brightness", "value": 50},
        LIGHTS_ON,
    ),
    Capability(
        "brightness_down",
        {
            ZH: ("把{t}调暗一点", "{t}暗一点", "{t}太亮了"),
            EN: ("make {t} a little dimmer", "dim {t} a bit", "{t} a little darker"),
        },
        {"property": "light.brightness", "change": "down"},
        ("living-room-light", "study-lamp", "office-lamp"),
    ),
    Capability(
        "brightness_up",
        {
            ZH: ("把{t}调亮一点", "{t}亮一点", "{t}太暗了"),
            EN: ("make {t} a bit brighter", "brighten {t} a little", "{t} a little brighter"),
        },
        {"property": "light.brightness", "change": "up"},
        ("living-room-light", "study-lamp", "office-lamp"),
    ),
    Capability(
        "brightness_min",
        {
            ZH: ("把{t}调到最暗", "{t}亮度调到最低"),
            EN: ("set {t} to minimum brightness", "make {t} as dim as possible"),
        },
        {"property": "light.brightness", "value": 1},
        ("living-room-light", "study-lamp", "office-lamp"),
    ),
    Capability(
        "color_temperature_warmer",
        {
            ZH: ("把{t}调暖一点", "{t}的光调暖一点"),
            EN: ("make {t} warmer", "make {t} a bit warmer"),
        },
        {"property": "light.color-temperature", "change": "down"},
        ("living-room-light",),
    ),
    Capability(
        "color_temperature_cooler",
        {
            ZH: ("把{t}调白一点", "{t}的色温调冷一点"),
            EN: ("make {t} cooler", "make {t} whiter"),
        },
        {"property": "light.color-temperature", "change": "up"},
        ("living-room-light",),
    ),
    Capability(
        "color_temperature_set",
        {
            ZH: ("把{t}色温调到3000K", "{t}的色温调到3000"),
            EN: ("set {t} colour temperature to 3000k", "set {t} color temperature to 3000 kelvin"),
        },
        {"property": "light.color-temperature", "value": 3000},
        ("living-room-light",),
    ),
    Capability(
        "color_temperature_coolest",
        {ZH: ("把{t}色温调到最冷",), EN: ("make {t} as cool as possible",)},
        {"property": "light.color-temperature", "value": 6500},
        ("living-room-light",),
    ),
    Capability(
        "color",
        {
            ZH: ("把{t}调成红色", "{t}换成蓝色"),
            EN: ("set {t} to red", "make {t} blue"),
        },
        {"property": "light.color", "change": "down"},
        ("living-room-light",),
    ),
    Capability(
        "ac_on",
        {
            ZH: ("打开{t}", "把{t}打开", "开{t}"),
            EN: ("turn on {t}", "switch {t} on", "turn {t} on"),
        },
        {"property": "air-conditioner.on", "value": True},
        ACS_OFF,
    ),
    Capability(
        "ac_off",
        {
            ZH: ("关掉{t}", "把{t}关了", "关闭{t}"),
            EN: ("turn off {t}", "switch {t} off", "turn {t} off"),
        },
        {"property": "air-conditioner.on", "value": False},
        ACS_ON,
    ),
    Capability(
        "temperature_set",
        {
            ZH: ("把{t}调到二十三度", "{t}温度调到23度", "{t}设为23度"),
            EN: (
                "set {t} to 23 degrees",
                "set the temperature of {t} to 23",
                "set {t} temperature to 23 degrees",
            ),
        },
        {"property": "air-conditioner.target-temperature", "value": 23},
        ACS,
    ),
    Capability(
        "temperature_up",
        {
            ZH: ("把{t}温度调高一点", "{t}温度升高两度", "{t}再调高一度"),
            EN: (
                "raise {t} temperature by 2 degrees",
                "turn {t} up by 2 degrees",
                "increase {t} temperature by 1 degree",
            ),
        },
        {"property": "air-conditioner.target-temperature", "change": "up"},
        ACS,
    ),
    Capability(
        "temperature_down",
        {
            ZH: ("把{t}温度调低一点", "{t}温度降低两度", "{t}再调低一度"),
            EN: (
                "lower {t} temperature by 3 degrees",
                "turn {t} down by 2 degrees",
                "decrease {t} temperature by 1 degree",
            ),
        },
        {"property": "air-conditioner.target-temperature", "change": "down"},
        ACS,
    ),
    Capability(
        "temperature_max",
        {
            ZH: ("把{t}温度调到最高", "{t}温度开到最高"),
            EN: ("set {t} to maximum", "set {t} temperature to max"),
        },
        {"property": "air-conditioner.target-temperature", "value": 31},
        ACS,
    ),
    Capability(
        "hvac_mode",
        {
            ZH: ("把{t}调到制热模式", "{t}开制热"),
            EN: ("set {t} to heat mode", "switch {t} to heat"),
        },
        {"property": "air-conditioner.mode", "value": 5},
        ACS,
    ),
    Capability(
        "fan_speed",
        {
            ZH: ("把{t}风速调到三档", "{t}的风速调到三档", "{t}风速调到3档"),
            EN: ("set {t} fan speed to level 3", "set the fan speed of {t} to level 3"),
        },
        {"property": "fan-control.fan-level", "value": 3},
        ACS,
    ),
    Capability(
        "set_point_question",
        {
            ZH: ("{t}现在设定几度", "{t}的设定温度是多少"),
            EN: ("what is {t} set to", "what's the set point of {t}"),
        },
        {},
        ("living-room-ac", "master-bedroom-ac", "bedroom-ac"),
        {
            ZH: ("度",),
            EN: ("degrees",),
        },
    ),
    Capability(
        "tv_off",
        {
            ZH: ("关掉{t}", "把{t}关了", "关闭{t}"),
            EN: ("turn off {t}", "switch {t} off"),
        },
        {},
        ("living-room-tv",),
        {
            ZH: ("关闭",),
            EN: ("Turned off",),
        },
    ),
    Capability(
        "volume_set",
        {
            ZH: ("把{t}音量调到六十", "{t}音量调到60", "{t}的音量调到百分之六十"),
            EN: ("set {t} volume to 60", "set the volume of {t} to 60 percent"),
        },
        {"property": "speaker.volume", "value": 30},  # 60 % of the TV's 0..50
        ("living-room-tv",),
    ),
    Capability(
        "volume_set",
        {
            ZH: ("把{t}音量调到六十", "{t}音量调到60", "{t}的音量调到百分之六十"),
            EN: ("set {t} volume to 60", "set the volume of {t} to 60 percent"),
        },
        {"property": "speaker.volume", "value": 60},
        ("xiaoai-pro", "kitchen-speaker"),
    ),
    Capability(
        "volume_max",
        {ZH: ("把{t}音量调到最大", "{t}声音开到最大"), EN: ("set {t} volume to max",)},
        {"property": "speaker.volume", "change": "up"},
        ("living-room-tv", "xiaoai-pro", "kitchen-speaker"),
    ),
    Capability(
        "volume_down",
        {
            ZH: ("{t}声音小一点", "把{t}音量调小一点", "{t}太吵了"),
            EN: ("turn {t} down a little", "make {t} a bit quieter", "turn down the volume on {t}"),
        },
        {"property": "speaker.volume", "change": "down"},
        ("living-room-tv", "xiaoai-pro", "kitchen-speaker"),
    ),
    Capability(
        "volume_up",
        {
            ZH: ("{t}声音大一点", "把{t}音量调大一点"),
            EN: ("turn {t} up a bit", "make {t} louder", "turn up the volume on {t}"),
        },
        {"property": "speaker.volume", "change": "up"},
        ("living-room-tv", "xiaoai-pro", "kitchen-speaker"),
    ),
    Capability(
        "mute",
        {
            ZH: ("把{t}静音", "{t}静音", "{t}关掉声音"),
            EN: ("mute {t}", "turn off the sound on {t}"),
        },
        {"property": "speaker.mute", "value": True},
        ("living-room-tv", "xiaoai-pro", "kitchen-speaker"),
    ),
    Capability(
        "pause",
        {
            ZH: ("{t}先停一下", "{t}暂停", "把{t}暂停"),
            EN: ("pause {t}", "pause the music on {t}"),
        },
        {},
        ("living-room-tv", "xiaoai-pro", "kitchen-speaker"),
        {
            ZH: ("暂停",),
            EN: ("Paused",),
        },
    ),
    Capability(
        "resume",
        {
            ZH: ("{t}继续播放",),
            EN: ("resume {t}",),
        },
        {},
        ("xiaoai-pro", "kitchen-speaker"),
        {
            ZH: ("继续播放",),
            EN: ("Resumed",),
        },
    ),
    Capability(
        "next",
        {
            ZH: ("{t}下一首", "{t}切歌"),
            EN: ("next track on {t}", "skip {t}"),
        },
        {},
        ("xiaoai-pro", "kitchen-speaker"),
        {
            ZH: ("下一个",),
            EN: ("next",),
        },
    ),
    Capability(
        "next_channel_unsupported",
        {
            ZH: ("{t}换台",),
            EN: ("next channel on {t}",),
        },
        {},
        ("living-room-tv",),
        {
            ZH: ("不支持",),
            EN: ("can't",),
        },
    ),
    Capability(
        "previous",
        {
            ZH: ("{t}上一首",),
            EN: ("previous track on {t}",),
        },
        {},
        ("xiaoai-pro", "kitchen-speaker"),
        {
            ZH: ("上一个",),
            EN: ("previous",),
        },
    ),
    Capability(
        "source",
        {
            ZH: ("把{t}切换到HDMI 2", "{t}切到HDMI 2"),
            EN: ("switch {t} to HDMI 2",),
        },
        {"property": "television.input-control", "value": 5},
        ("living-room-tv",),
    ),
    Capability(
        "volume_question",
        {
            ZH: ("{t}音量是多少", "{t}的音量多少"),
            EN: ("what's the volume of {t}", "what is {t}'s volume"),
        },
        {},
        ("living-room-tv", "xiaoai-pro", "kitchen-speaker"),
        {
            ZH: ("%",),
            EN: ("%",),
        },
    ),
    Capability(
        "say",
        {
            ZH: ("让{t}说晚饭好了",),
            EN: ("make {t} say dinner is ready",),
        },
        {},
        ("xiaoai-pro", "kitchen-speaker"),
        {
            ZH: ("晚饭好了",),
            EN: ("dinner is ready",),
        },
    ),
    Capability(
        "lock_question",
        {
            ZH: ("{t}锁好了吗", "{t}锁了没有", "{t}有没有锁好"),
            EN: ("is {t} locked",),
        },
        {},
        ("front-door",),
        {
            ZH: ("锁好",),
            EN: ("locked",),
        },
    ),
    Capability(
        "unlock_refused",
        {
            ZH: ("把{t}打开", "解锁{t}"),
            EN: ("unlock {t}",),
        },
        {},
        ("front-door",),
        {
            ZH: ("安全",),
            EN: ("safety",),
        },
    ),
    Capability(
        "battery_question",
        {
            ZH: ("{t}电量多少", "{t}还有多少电"),
            EN: ("what's {t}'s battery", "how much battery does {t} have"),
        },
        {},
        ("front-door",),
        {
            ZH: ("78",),
            EN: ("78",),
        },
    ),
    Capability(
        "fan_off",
        {
            ZH: ("关掉{t}", "把{t}关了", "关闭{t}"),
            EN: ("turn off {t}", "switch {t} off"),
        },
        {"property": "air-purifier.on", "value": False},
        ("purifier",),
    ),
    Capability(
        "purifier_preset",
        {
            ZH: ("把{t}调到睡眠模式", "{t}切换到睡眠模式", "{t}开睡眠模式"),
            EN: ("set {t} to sleep mode", "switch {t} to sleep"),
        },
        {"property": "air-purifier.mode", "value": 1},
        ("purifier",),
    ),
    Capability(
        "pm25_question",
        {
            ZH: ("{t}的PM2.5是多少", "{t}PM2.5多少"),
            EN: ("what's the pm2.5 of {t}", "what is {t}'s pm2.5"),
        },
        {},
        ("purifier",),
        {
            ZH: ("35",),
            EN: ("35",),
        },
    ),
    Capability(
        "humidity_question",
        {
            ZH: ("{t}的湿度是多少", "{t}湿度多少"),
            EN: ("what's the humidity of {t}", "what is {t}'s humidity"),
        },
        {},
        ("purifier",),
        {
            ZH: ("50",),
            EN: ("50",),
        },
    ),
    Capability(
        "fan_on",
        {
            ZH: ("打开{t}", "把{t}打开", "开{t}"),
            EN: ("turn on {t}", "switch {t} on", "turn {t} on"),
        },
        {"property": "fan.on", "value": True},
        ("second-bedroom-fan", "kids-room-fan"),
    ),
    Capability(
        "fan_preset",
        {
            ZH: ("把{t}调到自然风", "{t}开自然风", "{t}切换到自然风"),
            EN: ("set {t} to natural wind", "switch {t} to natural wind mode"),
        },
        {"property": "fan.mode", "value": 1},
        ("second-bedroom-fan", "kids-room-fan"),
    ),
    Capability(
        "fan_faster",
        {
            ZH: ("把{t}风速调到100%", "{t}风速调到百分之百"),
            EN: ("set {t} speed to 100%",),
        },
        {"property": "fan.speed-level", "change": "up"},
        ("second-bedroom-fan", "kids-room-fan"),
    ),
    Capability(
        "fan_fastest",
        {ZH: ("把{t}风速调到最大",), EN: ("set {t} speed to maximum",)},
        {"property": "fan.speed-level", "change": "up"},
        ("second-bedroom-fan", "kids-room-fan"),
    ),
    Capability(
        "curtain_open",
        {
            ZH: ("打开{t}", "把{t}打开"),
            EN: ("open {t}", "turn on {t}"),
        },
        {"property": "curtain.target-position", "change": "up"},
        ("curtain",),
    ),
    Capability(
        "curtain_position",
        {
            ZH: ("把{t}开到50%", "{t}打开一半"),
            EN: ("open {t} to 50%", "open {t} halfway"),
        },
        {"property": "curtain.target-position", "value": 50},
        ("curtain",),
    ),
)


def target_forms(language: str, target: Target) -> Iterator[tuple[str, str, str | None]]:
    """(form, words, satellite device) for every way this language names the target."""
    yield "name", target.name, None
    if target.room and target.room.casefold() not in target.name.casefold():
        if language == ZH:
            yield "area_name", f"{target.room}的{target.name}", None
        else:
            yield "area_name", f"the {target.name} in the {target.room.lower()}", None
    if language == ZH:
        if target.room and target.unique_in_room:
            yield "area_type", f"{target.room}的{target.type_word}", None
        if target.unique_type:
            yield "type", target.type_word, None
        elif target.satellite:
            yield "satellite", target.type_word, target.satellite
    else:
        if target.room and target.unique_in_room:
            yield "area_type", f"the {target.room.lower()} {target.type_word}", None
        if target.unique_type:
            yield "type", f"the {target.type_word}", None
        elif target.satellite:
            yield "satellite", f"the {target.type_word}", target.satellite


def device_cases() -> Iterator[dict[str, Any]]:
    """Every capability of every device, named every way, in both languages."""
    for language, targets in TARGETS.items():
        for capability in CAPABILITIES:
            for target in targets:
                if target.id not in capability.devices:
                    continue
                for form, words, satellite in target_forms(language, target):
                    for phrasing in capability.phrasings[language]:
                        expect: dict[str, Any] = {}
                        if capability.expect:
                            expect.update(_device(target.id, **capability.expect))
                        if capability.answer:
                            expect["answer"] = list(capability.answer[language])
                        case: dict[str, Any] = {
                            "id": f"{language}-{capability.name}-{target.id}-{form}",
                            "text": phrasing.format(t=words),
                            "language": language,
                            "expect": expect,
                        }
                        if satellite:
                            case["heard_by"] = satellite
                        yield case


AMBIGUOUS: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    # A type word naming several devices: a change goes to the one that is on (one AC runs),
    # else the answer is a question naming them.
    ZH: (
        ("空调调到二十六度", ("客厅空调", "26")),
        ("把空调温度调高一点", ("客厅空调",)),
        ("空调现在设定几度", ("客厅空调", "主卧空调")),
        ("打开灯", ("床头灯",)),
        ("关灯", ("客厅吸顶灯", "台灯")),
        ("把灯调暗一点", ("客厅吸顶灯", "台灯")),
        ("空调开制热", ("客厅空调", "制热")),
        ("电量多少", ("哪一个",)),
    ),
    EN: (
        ("set the ac to 26 degrees", ("Living Room AC", "26")),
        ("raise the ac temperature by 2 degrees", ("Living Room AC",)),
        ("what is the ac set to", ("Living Room AC", "Bedroom AC")),
        ("turn on the light", ("Bedside lamp",)),
        ("turn off the light", ("Living Room Light", "Desk lamp")),
        ("make the light a little dimmer", ("Living Room Light", "Desk lamp")),
        ("set the ac to heat mode", ("Living Room AC", "heat")),
        ("turn on the ac", ("Living Room AC", "Bedroom AC")),
    ),
}
"""A type word that names more than one device: the answer is a question naming them."""

PEOPLE: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    ZH: (
        ("我今天走了多少步", ("8421",)),
        ("我走了几步", ("8421",)),
        ("我的步数是多少", ("8421",)),
        ("我的心率是多少", ("76",)),
        ("我现在心率多少", ("76",)),
        ("我今天睡了几个小时", ("7",)),
        ("我昨晚睡了多久", ("7",)),
        ("我的手机还有多少电", ("88",)),
        ("我的手机电量是多少", ("88",)),
        ("妈妈今天走了多少步", ("8421",)),
        ("妈妈的心率是多少", ("76",)),
        ("爸爸的手机还有多少电", ("15",)),
        ("爸爸的手机电量是多少", ("15",)),
        ("妈妈的手机还剩多少电", ("88",)),
        ("找一下我的手机", ("妈妈的手机",)),
        ("让爸爸的手机响一下", ("爸爸的手机",)),
        ("我的血氧是多少", ("98",)),
        ("妈妈的血氧是多少", ("98",)),
        ("手环电量多少", ("64",)),
        ("我的手环还有多少电", ("64",)),
    ),
    EN: (
        ("how many steps did i take today", ("8421",)),
        ("what's my step count", ("8421",)),
        ("what's my heart rate", ("76",)),
        ("what is my heart rate", ("76",)),
        ("how long did i sleep last night", ("7",)),
        ("how much battery does my phone have", ("88",)),
        ("what's my phone battery", ("88",)),
        ("how many steps did Mom take", ("8421",)),
        ("what's Mom's heart rate", ("76",)),
        ("what's Dad's phone battery", ("15",)),
        ("how much battery does Dad's phone have left", ("15",)),
        ("find my phone", ("Mom's phone",)),
        ("ring Dad's phone", ("Dad's phone",)),
        ("what's my blood oxygen", ("98",)),
        ("what's the battery of the band", ("64",)),
    ),
}
"""First person and named people: 我 / I / my is the speaking user's person (妈妈 / Mom)."""

CAR: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    ZH: (
        ("车还有多少电", ("65",)),
        ("车的电量是多少", ("65",)),
        ("我的SU7还有多少电", ("65",)),
        ("车还能跑多少公里", ("430",)),
        ("车的续航里程还有多少公里", ("430",)),
        ("车锁了吗", ("锁好",)),
        ("把车解锁", ("安全",)),
        ("车里现在多少度", ("24",)),
        ("车的总里程是多少", ("12345",)),
        ("打开车里的空调", ("车内空调",)),
        ("车在哪", ("纬度",)),
    ),
    EN: (
        ("how much battery does the car have", ("65",)),
        ("what's the car's battery", ("65",)),
        ("what's the car's range", ("430",)),
        ("what's the range of the car in km", ("430",)),
        ("is the car locked", ("locked",)),
        ("unlock the car", ("safety",)),
        ("what's the car's odometer", ("12345",)),
        ("turn on the climate in the car", ("climate",)),
        ("where is the car", ("latitude",)),
    ),
}

ALL: dict[str, tuple[tuple[str, str, str, Any], ...]] = {
    ZH: (
        ("把所有的灯都关了", "living-room-light", "light.on", False),
        ("关掉所有的灯", "study-lamp", "light.on", False),
        ("打开全部的灯", "bedside-lamp", "light.on", True),
        ("把客厅的灯关了", "living-room-light", "light.on", False),
    ),
    EN: (
        ("turn off all the lights", "living-room-light", "light.on", False),
        ("turn off all lights", "office-lamp", "light.on", False),
        ("turn on all the lights", "bedside-lamp", "light.on", True),
        ("turn off the living room lights", "living-room-light", "light.on", False),
    ),
}


def other_cases() -> Iterator[dict[str, Any]]:
    """Questions back, people, the car and "all", in both languages."""
    for language in (ZH, EN):
        for index, (text, names) in enumerate(AMBIGUOUS[language]):
            yield {
                "id": f"{language}-ambiguous-{index}",
                "text": text,
                "language": language,
                "expect": {"answer": list(names)},
            }
        for group, table in (("person", PEOPLE), ("car", CAR)):
            for index, (text, words) in enumerate(table[language]):
                yield {
                    "id": f"{language}-{group}-{index}",
                    "text": text,
                    "language": language,
                    "expect": {"answer": list(words)},
                }
        for index, (text, device, prop, value) in enumerate(ALL[language]):
            yield {
                "id": f"{language}-all-{index}",
                "text": text,
                "language": language,
                "expect": _device(device, property=prop, value=value),
            }


def all_cases() -> list[dict[str, Any]]:
    """The whole generated corpus, ids unique."""
    cases = [*device_cases(), *other_cases()]
    seen: dict[str, int] = {}
    for case in cases:
        count = seen.get(case["id"], 0)
        seen[case["id"]] = count + 1
        case["id"] = f"{case['id']}-{count}"
    return cases
