// Action frameworks are reference data: every pledge is tagged with actions of one or more frameworks, and
// accountability reports group by them. Codes are stable identifiers stored in events; never rename one.

export interface FrameworkAction {
  code: string;
  title: string;
  description: string;
}

export interface ActionFramework {
  code: string;
  name: string;
  /** Where the wording comes from, so readers can check it. */
  source: string;
  actions: readonly FrameworkAction[];
}

/** A pledge's reference to one action of one framework. */
export interface ActionRef {
  framework: string;
  action: string;
}

/** Framework and action codes: lowercase slugs, safe in URLs, CSV headers and MongoDB field names. */
export const ACTION_CODE_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;

// Wording taken verbatim from shared/seeds/wsis-coalition-statement.txt.
const WSIS10_GENDER_GAP: ActionFramework = {
  code: 'wsis10-gender-gap',
  name: 'WSIS+10 (2015) Action Plan to Close the Digital Gender Gap',
  source:
    'Action Plan to Close the Digital Gender Gap, launched by WSIS+10 in 2015, as reiterated in ' +
    '"The WSIS Coalition Statement: Bridging the Digital Gender Divide"',
  actions: [
    {
      code: 'policies',
      title: 'Developing gender responsive strategies and policies',
      description:
        'This requires the incorporation of a gender equality perspective in all decision-making processes ' +
        'including strategies, planning, policies and funding mechanisms.',
    },
    {
      code: 'access',
      title:
        'Ensuring access to ICTs by women and girls and addressing the factors that hinder their use of technology',
      description:
        'Data obtained from national census and findings issued by international agencies need to be studied ' +
        'from a gender perspective and used as foundations for identifying issues. Moreover, threats emerging ' +
        'from ICTs, most notably cyber-related violence must be mitigated, responded to and prevented. This can ' +
        'be done by introducing policies that counter traditional gender roles and providing safe and ' +
        'accountable channels for grievance redressal.',
    },
    {
      code: 'capacities',
      title: 'Building the digital capacities of women and girls',
      description:
        'This includes investing in targeted skills development for women and girls, and supporting relevant ' +
        'content, applications and services by and for women. This also includes modifying and updating ' +
        'existing formal education curricula so that they provide women and girls with the necessary ICT ' +
        'skills and information.',
    },
    {
      code: 'leadership',
      title: 'Promoting women in the technology sector, particularly in positions of decision-making',
      description:
        'Particularly in developing and least-developed countries, providing incentives and opportunities for ' +
        'women’s higher education, promoting women’s recruitment and promotion to decision-making positions ' +
        'in the technology sector are all important steps. Stakeholders, particularly those in the private ' +
        'sector can introduce internal policies which encourage participation of women in the Information ' +
        'Society.',
    },
    {
      code: 'partnerships',
      title: 'Establish multi-stakeholder partnerships',
      description:
        'Governments, civil society, international organizations like the UN and the private sector must all ' +
        'pursue joint measures for the creation of new avenues, and facilitating policy discussions both ' +
        'within and among nations. Recognition of good practices through events like the ITU’s Equals in Tech ' +
        'Awards also help raise awareness about organizations and individuals contributing to the close of ' +
        'the gender divide.',
    },
  ],
};

// Wording taken verbatim from shared/seeds/wsis-gender-caucus.txt (the bullets carry no titles; the titles
// are the short names the seeds README gives them).
const GENDER_CAUCUS: ActionFramework = {
  code: 'gender-caucus',
  name: 'WSIS Gender Caucus strategic priorities',
  source:
    'WSIS Gender Caucus, five strategic priority issues for the WSIS and its outcomes (project "Bridging the ' +
    'Gender Gap in the Information Society", 2003-2006)',
  actions: [
    {
      code: 'capacity-building',
      title: 'Capacity building and training',
      description:
        'Capacity building and training to support wide participation by women and gender ICT specialists in ' +
        'policy and decision making and monitoring mechanisms at all levels in the telecommunications and ICT ' +
        'sector; and to support women’s greater access and control over resources necessary for their ' +
        'empowerment.',
    },
    {
      code: 'entrepreneurship-employment',
      title: 'Entrepreneurship and employment',
      description:
        'Facilitating women’s active participation in the telecommunications and ICT sector through ' +
        'programmes that encourage and support entrepreneurship and women’s employment, and women’s access to ' +
        'international markets.',
    },
    {
      code: 'governance-reform',
      title: 'Governance reform',
      description:
        'Reform of decision-making processes in the telecommunications and ICT sector to ensure good ' +
        'governance, greater accountability to all stakeholders and to improve the participation and ' +
        'representation of women and gender equality advocates in all levels of policy making including ' +
        'participation across generations.',
    },
    {
      code: 'ict-for-peace-equality-development',
      title: 'ICTs for peace, equality and development',
      description:
        'Ensuring that ICTs contribute to the goals of peace, equality and development by including plans to ' +
        'develop and encourage innovative ICT applications in reducing poverty, HIV/AIDS elimination, conflict ' +
        'resolution and peace building, supporting women’s reproductive and productive roles, education and ' +
        'literacy programmes and in reducing violence against women.',
    },
    {
      code: 'right-to-communicate',
      title: 'Right to communicate',
      description:
        'Support for the recognition of a Universal Right to Communicate in the international human rights ' +
        'framework and participation of the women’s human rights community as a key partner in the ' +
        'development of these rights and activities.',
    },
  ],
};

function frozenFramework(framework: ActionFramework): ActionFramework {
  return Object.freeze({
    ...framework,
    actions: Object.freeze(framework.actions.map((action) => Object.freeze({ ...action }))),
  });
}

export const BUILT_IN_FRAMEWORKS: readonly ActionFramework[] = Object.freeze(
  [WSIS10_GENDER_GAP, GENDER_CAUCUS].map(frozenFramework),
);

/** The frameworks a deployment knows; `decide` checks every pledged action against it. */
export class ActionCatalogue {
  private readonly frameworks = new Map<string, ActionFramework>();

  constructor(frameworks: readonly ActionFramework[] = BUILT_IN_FRAMEWORKS) {
    frameworks.forEach((framework) => this.register(framework));
  }

  /** Adds a framework; a misconfigured one fails at boot rather than at the first pledge. */
  register(framework: ActionFramework): this {
    if (!ACTION_CODE_PATTERN.test(framework.code)) {
      throw new Error(`Action framework code "${framework.code}" must match ${ACTION_CODE_PATTERN}`);
    }
    if (this.frameworks.has(framework.code)) {
      throw new Error(`Action framework "${framework.code}" is already registered`);
    }
    if (framework.actions.length === 0) {
      throw new Error(`Action framework "${framework.code}" has no actions`);
    }
    const seen = new Set<string>();
    for (const action of framework.actions) {
      if (!ACTION_CODE_PATTERN.test(action.code)) {
        throw new Error(`Action code "${framework.code}/${action.code}" must match ${ACTION_CODE_PATTERN}`);
      }
      if (seen.has(action.code)) {
        throw new Error(`Action "${framework.code}/${action.code}" is listed twice`);
      }
      seen.add(action.code);
    }
    this.frameworks.set(framework.code, frozenFramework(framework));
    return this;
  }

  list(): readonly ActionFramework[] {
    return [...this.frameworks.values()];
  }

  find(framework: string): ActionFramework | undefined {
    return this.frameworks.get(framework);
  }

  findAction(ref: ActionRef): FrameworkAction | undefined {
    return this.find(ref.framework)?.actions.find((action) => action.code === ref.action);
  }

  has(ref: ActionRef): boolean {
    return this.findAction(ref) !== undefined;
  }
}
